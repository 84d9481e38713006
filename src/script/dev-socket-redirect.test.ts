// The shell's side of /dev/tcp and /dev/udp redirections, against a fake socket layer: which
// messages bash prints when the open or the write fails, and how timeout ends a connect.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Errno } from "../errors.js";
import type { ToolContext } from "../tools/context.js";
import { blankHost, runLine } from "./run.js";

const fake = vi.hoisted(() => ({
  openErrno: undefined as Errno | undefined,
  writeErrno: undefined as Errno | undefined,
  /** When set, the open moves the clock this far, as an unanswered TCP connect does. */
  connectMs: undefined as number | undefined,
  writes: [] as string[],
  closed: 0,
}));

vi.mock("../proc/dev-socket.js", () => ({
  openDevSocket: (ctx: ToolContext, protocol: "tcp" | "udp") => {
    if (fake.connectMs !== undefined) {
      ctx.state.clock = Math.min(ctx.state.clock + fake.connectMs, ctx.deadline ?? Infinity);
    }
    if (fake.openErrno !== undefined) return { ok: false, errno: fake.openErrno };
    return { ok: true, socket: { protocol, id: 1 } };
  },
  writeDevSocket: (_ctx: ToolContext, _socket: unknown, data: string) => {
    fake.writes.push(data);
    return fake.writeErrno;
  },
  closeDevSocket: () => {
    fake.closed++;
  },
}));

beforeEach(() => {
  fake.openErrno = undefined;
  fake.writeErrno = undefined;
  fake.connectMs = undefined;
  fake.writes = [];
  fake.closed = 0;
});

describe("/dev/tcp redirections", () => {
  it("write the command's output", () => {
    const result = runLine(blankHost(), "echo hi >/dev/tcp/10.0.0.2/80 && echo connected");

    expect(result.output).toBe("connected\n");
    expect(fake.writes).toEqual(["hi\n"]);
    expect(fake.closed).toBe(1);
  });

  it("print both lines of a failed connect", () => {
    fake.openErrno = "EHOSTUNREACH";
    const result = runLine(blankHost(), "bash -c 'echo hi >/dev/tcp/10.0.2.2/80'");

    expect(result.output).toBe(
      "bash: connect: No route to host\nbash: line 1: /dev/tcp/10.0.2.2/80: No route to host\n",
    );
    expect(result.exitCode).toBe(1);
    expect(fake.writes).toEqual([]);
  });

  it("end at the timeout deadline", () => {
    fake.connectMs = 130_000;
    fake.openErrno = "EHOSTUNREACH";
    const result = runLine(blankHost(), "timeout 3 bash -c 'echo hi >/dev/tcp/10.0.0.2/80'");

    expect(result.output).toBe("");
    expect(result.exitCode).toBe(124);
    expect(result.state.clock).toBe(3000);
  });
});

describe("/dev/udp redirections", () => {
  it("report a failed write as echo's", () => {
    fake.writeErrno = "EPERM";
    const result = runLine(blankHost(), "bash -c 'echo hi >/dev/udp/10.0.0.2/53'");

    expect(result.output).toBe("bash: line 1: echo: write error: Operation not permitted\n");
    expect(result.exitCode).toBe(1);
  });
});

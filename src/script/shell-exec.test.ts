import fc from "fast-check";
import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { spawnProcess } from "../proc/jobs.js";
import { blankHost, runLine, runScript, runScriptLines } from "./run.js";

/** Adds a live process that only a signal or its timeout ends, as a listener would be. */
function withListener(pid: number, killAt?: number) {
  return produce(blankHost(), (draft) => {
    spawnProcess(draft, {
      pid,
      nsId: 0,
      command: "fake listener",
      stdout: { kind: "file", path: "/tmp/out" },
      stderr: { kind: "null" },
      program: { kind: "plain" },
      ...(killAt === undefined ? {} : { killAt }),
    });
    draft.nextPid = pid + 1;
  });
}

describe("shell jobs", () => {
  it("kill ends a live process with status 143", () => {
    const result = runLine(withListener(4000), "kill 4000");

    expect(result.exitCode).toBe(0);
    expect(result.state.processes[4000]?.exit?.status).toBe(143);
  });

  it("tail --pid waits for the process's timeout", () => {
    const result = runLine(withListener(4000, 2500), "tail -s 0.2 --pid=4000 -f /dev/null");

    expect(result.exitCode).toBe(0);
    expect(result.state.processes[4000]?.exit?.status).toBe(124);
    expect(result.state.clock).toBe(2600);
  });

  it("tail --pid rejects a process that never ends", () => {
    const result = runLine(withListener(4000), "tail --pid=4000 -f /dev/null");

    expect(result.output).toBe("hoptrace: not supported: tail --pid=4000 that never ends\n");
    expect(result.exitCode).toBe(1);
  });

  it("wait returns a background job's status", () => {
    const result = runLine(blankHost(), "sleep 2 & wait $!; echo $? at $!");

    expect(result.output).toBe("0 at 1000\n");
    expect(result.state.clock).toBe(2000);
  });

  it("rejects a blocking probe in the background", () => {
    const script = "ip addr add 10.0.0.1/24 dev lo\nping -c 1 10.0.0.1 &\n";
    const lines = runScriptLines(script);

    expect(lines[1]?.output).toBe("hoptrace: not supported: running ping in the background\n");
    expect(lines[1]?.state.clock).toBe(lines[0]?.state.clock);
  });

  it("keeps the changes of bash -c up to its failing command", () => {
    const result = runLine(
      blankHost(),
      "bash -c 'ip link add v0 type veth peer name v1; ip link add v0 type veth peer name v1'",
    );

    expect(result.output).toBe("RTNETLINK answers: File exists\n");
    expect(result.exitCode).toBe(2);
    const names = Object.values(result.state.namespaces[0]!.links).map((link) => link.name);
    expect(names.filter((name) => name === "v0")).toHaveLength(1);
  });

  it("keeps the changes before a failing command", () => {
    const add = "ip link add v0 type veth peer name v1";
    const result = runLine(
      blankHost(),
      `${add}; ip link add v2 type veth peer name v1; echo after`,
    );

    expect(result.output).toBe("RTNETLINK answers: File exists\nafter\n");
    const names = Object.values(result.state.namespaces[0]!.links).map((link) => link.name);
    expect(names).toContain("v0");
    expect(names).not.toContain("v2");
  });

  it("separates stderr when stdout is redirected", () => {
    const result = runScript(
      "mount -t tmpfs tmpfs /tmp\nip link show nosuch >/tmp/out; cat /tmp/out\n",
    );

    expect(result.lines[1]?.output).toBe('Device "nosuch" does not exist.\n');
  });

  it("timeout kills a foreground sleep at its deadline", () => {
    const result = runLine(blankHost(), "timeout 1.5 bash -c 'echo first; sleep 3; echo never'");

    expect(result.output).toBe("first\n");
    expect(result.exitCode).toBe(124);
    expect(result.state.clock).toBe(1500);
  });
});

describe("background jobs", () => {
  it("wait returns a failed job's status", () => {
    const result = runLine(blankHost(), "echo x >/nodir/f & wait $!; echo $?");

    expect(result.output).toBe("bash: line 1: /nodir/f: No such file or directory\n1\n");
    expect(result.state.processes[1000]?.exit?.status).toBe(1);
  });

  it("read /dev/null as stdin", () => {
    const result = runLine(blankHost(), "cat & wait $!; echo $?");

    expect(result.output).toBe("0\n");
  });

  it("wait reports a job SIGKILL ended", () => {
    const result = runLine(blankHost(), "sleep 3 & kill -9 $!; wait $!");

    expect(result.output).toBe(`bash: line 1:  1000 ${"Killed".padEnd(24)}sleep 3\n`);
    expect(result.exitCode).toBe(137);
  });
});

/** Quotes `text` for bash: in single quotes, with each `'` written as `'\''`. */
function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Quotes `text` for bash: in double quotes, with `"`, `$`, `` ` `` and `\` escaped. */
function doubleQuoted(text: string): string {
  return `"${text.replace(/["$`\\]/g, "\\$&")}"`;
}

describe("quoting", () => {
  it("echo prints any quoted word back", () => {
    const printable = fc.string({ unit: fc.constantFrom(..." !\"#$%&'()*;<>?[\\]`{|}~ab1=-") });
    fc.assert(
      fc.property(printable, fc.boolean(), (text, isSingle) => {
        const word = isSingle ? singleQuoted(text) : doubleQuoted(text);
        const result = runLine(blankHost(), `echo ${word}`);

        expect(result.output).toBe(`${text}\n`);
        expect(result.exitCode).toBe(0);
      }),
    );
  });
});

/** A line of the scripts the reference interpreter below understands. */
type Step =
  { kind: "write" | "append"; text: string; file: string } | { kind: "cat"; files: string[] };

const FILES = ["/tmp/a", "/tmp/b", "/tmp/c"];
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("write" as const, "append" as const),
    text: fc.stringMatching(/^[a-z0-9 ]{0,8}$/),
    file: fc.constantFrom(...FILES),
  }),
  fc.record({
    kind: fc.constant("cat" as const),
    files: fc.array(fc.constantFrom(...FILES), { minLength: 1, maxLength: 3 }),
  }),
);

function lineOf(step: Step): string {
  if (step.kind === "cat") return `cat ${step.files.join(" ")}`;
  return `echo '${step.text}' ${step.kind === "write" ? ">" : ">>"}${step.file}`;
}

describe("redirections against a reference interpreter", () => {
  it("echo and cat scripts match it", () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 12 }), (steps) => {
        const result = runScript(`mount -t tmpfs tmpfs /tmp\n${steps.map(lineOf).join("\n")}\n`);
        const files = new Map<string, string>();
        steps.forEach((step, index) => {
          const line = result.lines[index + 1]!;
          if (step.kind === "cat") {
            const out = step.files.map(
              (file) => files.get(file) ?? `cat: ${file}: No such file or directory\n`,
            );
            expect(line.output).toBe(out.join(""));
            expect(line.exitCode).toBe(step.files.every((file) => files.has(file)) ? 0 : 1);
            return;
          }
          const previous = step.kind === "append" ? (files.get(step.file) ?? "") : "";
          files.set(step.file, `${previous}${step.text}\n`);
        });
        for (const file of FILES) expect(result.state.files[file]).toBe(files.get(file));
      }),
    );
  });
});

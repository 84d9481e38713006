import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";

function run(script: string): { output: string; exitCode: number } {
  const last = runScript(script).lines.at(-1)!;
  return { output: last.output, exitCode: last.exitCode };
}

describe("nstat -a", () => {
  it("prints counters in the kernel's order, not the arguments'", () => {
    const { output } = run("nstat -asz IpForwDatagrams IpInAddrErrors\n");
    expect(output).toBe(
      "#kernel\nIpInAddrErrors                  0                  0.0\nIpForwDatagrams                 0                  0.0\n",
    );
  });

  it("leaves zero counters out without -z", () => {
    expect(run("nstat -as IpInAddrErrors\n").output).toBe("#kernel\n");
  });

  it("matches shell patterns", () => {
    const lines = run("nstat -asz 'IcmpOutEcho*'\n").output.trim().split("\n");
    expect(lines.map((line) => line.split(" ")[0])).toEqual([
      "#kernel",
      "IcmpOutEchos",
      "IcmpOutEchoReps",
    ]);
  });

  it("counts a ping's echo request and reply by type", () => {
    const { output } = run("ping -c 1 127.0.0.1\nnstat -as 'IcmpMsg*'\n");
    expect(output).toBe(
      "#kernel\n" +
        "IcmpMsgInType0                  1                  0.0\n" +
        "IcmpMsgInType8                  1                  0.0\n" +
        "IcmpMsgOutType0                 1                  0.0\n" +
        "IcmpMsgOutType8                 1                  0.0\n",
    );
  });

  it("rejects counters the engine does not keep", () => {
    const { output, exitCode } = run("nstat -asz TcpExtTCPTimeouts\n");
    expect(output).toContain("not supported: nstat counter TcpExtTCPTimeouts");
    expect(exitCode).toBe(1);
  });

  it("rejects the history mode", () => {
    expect(run("nstat IpInAddrErrors\n").output).toContain("not supported");
  });
});

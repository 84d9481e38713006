import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";
import { acknowledge, formatLoss, newStats, summaryLines } from "./ping-end.js";

// a (10.0.0.1) and b (10.0.0.2) on one veth; nobody owns 10.0.0.99, and ARP for it fails 3 s
// after the first probe. Each row runs one ping, timed by bash's `time` in virtual seconds.
const TOPOLOGY = `
ip netns add a
ip netns add b
ip netns exec a ip link add eth0 type veth peer name eth0 netns b
ip netns exec a ip addr add 10.0.0.1/24 dev eth0
ip netns exec b ip addr add 10.0.0.2/24 dev eth0
ip netns exec a ip link set eth0 up
ip netns exec b ip link set eth0 up
ip netns exec a ip link set lo up
TIMEFORMAT='%1R'
`;

interface Row {
  situation: string;
  options: string;
  target: string;
  seconds: string;
  counts: string;
  last: string;
  status: number;
}

const ROWS: Row[] = [
  {
    situation: "replies end -c at the last reply",
    options: "-c 3",
    target: "10.0.0.2",
    seconds: "2.0",
    counts: "3 packets transmitted, 3 received, 0% packet loss, time 2000ms",
    last: "rtt",
    status: 0,
  },
  {
    situation: "-i sets the gap between probes",
    options: "-c 3 -i 0.5",
    target: "10.0.0.2",
    seconds: "1.0",
    counts: "3 packets transmitted, 3 received, 0% packet loss, time 1000ms",
    last: "rtt",
    status: 0,
  },
  {
    situation: "a lost probe waits -W after the last send",
    options: "-c 1 -W 1",
    target: "10.0.0.99",
    seconds: "1.0",
    counts: "1 packets transmitted, 0 received, 100% packet loss, time 0ms",
    last: "",
    status: 1,
  },
  {
    situation: "-W is counted from the last probe",
    options: "-c 2 -W 1",
    target: "10.0.0.99",
    seconds: "2.0",
    counts: "2 packets transmitted, 0 received, 100% packet loss, time 1000ms",
    last: "",
    status: 1,
  },
  {
    situation: "an error ends -c before -W runs out",
    options: "-c 1 -W 5",
    target: "10.0.0.99",
    seconds: "3.0",
    counts: "1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms",
    last: "",
    status: 1,
  },
  {
    situation: "errors for all queued probes end the run",
    options: "-c 3 -W 2",
    target: "10.0.0.99",
    seconds: "3.0",
    counts: "3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2000ms",
    last: "pipe 3",
    status: 1,
  },
  {
    situation: "a probe sent as ARP fails joins the pipe",
    options: "-c 4 -W 1",
    target: "10.0.0.99",
    seconds: "4.0",
    counts: "4 packets transmitted, 0 received, +3 errors, 100% packet loss, time 3000ms",
    last: "pipe 4",
    status: 1,
  },
  {
    situation: "-w stops at the deadline despite -c",
    options: "-c 5 -w 2",
    target: "10.0.0.99",
    seconds: "2.0",
    counts: "2 packets transmitted, 0 received, 100% packet loss, time 1000ms",
    last: "",
    status: 1,
  },
  {
    situation: "-w keeps probing past -c without replies",
    options: "-c 1 -w 2 -i 0.5",
    target: "10.0.0.99",
    seconds: "2.0",
    counts: "4 packets transmitted, 0 received, 100% packet loss, time 1500ms",
    last: "",
    status: 1,
  },
  {
    situation: "-w ends at the first errors",
    options: "-w 10 -i 2",
    target: "10.0.0.99",
    seconds: "3.0",
    counts: "2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 2000ms",
    last: "pipe 2",
    status: 1,
  },
  {
    situation: "-w with fewer replies than -c exits 1",
    options: "-c 5 -w 2",
    target: "10.0.0.2",
    seconds: "2.0",
    counts: "2 packets transmitted, 2 received, 0% packet loss, time 1000ms",
    last: "rtt",
    status: 1,
  },
];

describe("ping end rules", () => {
  it.for(ROWS)("$situation", (row) => {
    const script = `${TOPOLOGY}time ip netns exec a ping ${row.options} ${row.target}\n`;
    const result = runScript(script);
    const last = result.lines.at(-1)!;
    const lines = last.output.trimEnd().split("\n");
    const summaryAt = lines.findIndex((line) => line.includes("ping statistics"));

    expect(lines.at(-1), "time report").toBe(row.seconds);
    expect(lines[summaryAt + 1], "counts").toBe(row.counts);
    expect(lines[summaryAt + 2]!.startsWith(row.last), "rtt/pipe line").toBe(true);
    if (row.last === "") expect(lines[summaryAt + 2], "empty last line").toBe("");
    expect(last.exitCode, "exit status").toBe(row.status);
  });
});

describe("ping summary pieces", () => {
  it("formats loss as %g of a float", () => {
    expect(formatLoss(3, 2)).toBe("33.3333");
    expect(formatLoss(3, 0)).toBe("100");
    expect(formatLoss(4, 4)).toBe("0");
    expect(formatLoss(8, 7)).toBe("12.5");
  });

  it("grows pipe to the probes in flight when an answer arrives", () => {
    const stats = newStats(0);
    stats.transmitted = 4;
    acknowledge(stats, 2);
    expect(stats.pipe).toBe(3);
    acknowledge(stats, 4);
    expect(stats.pipe).toBe(3);
  });

  it("lists duplicates before errors", () => {
    const stats = {
      ...newStats(0),
      transmitted: 2,
      received: 1,
      duplicates: 1,
      errors: 1,
      rtts: [0.05],
    };
    const [, counts] = summaryLines("x", stats, true);
    expect(counts).toBe(
      "2 packets transmitted, 1 received, +1 duplicates, +1 errors, 50% packet loss, time 0ms",
    );
  });
});

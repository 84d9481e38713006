import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScript } from "../../script/run.js";
import { HOST_NS, findLink } from "../../netns/state.js";
import { checkAltIfname, checkIfname, parseLladdrBytes } from "./args.js";

/** Runs `script` and returns the exit status and output of its last line. */
function lastLine(script: string): { exitCode: number; output: string } {
  const { lines } = runScript(script);
  const last = lines.at(-1)!;
  return { exitCode: last.exitCode, output: last.output };
}

describe("parseLladdrBytes", () => {
  it.each([
    ["02:00:00:00:00:01", [2, 0, 0, 0, 0, 1]],
    ["2:0:0:0:0:1", [2, 0, 0, 0, 0, 1]],
    ["02:00:00:00:00:0g", [2, 0, 0, 0, 0, 0]],
    ["02:00:00:00:00:1g2", [2, 0, 0, 0, 0, 1]],
    ["0x2:0:0:0:0:1f", [2, 0, 0, 0, 0, 0x1f]],
    ["1:2:3", [1, 2, 3]],
    ["02:00:00:00:00:01:07", [2, 0, 0, 0, 0, 1, 7]],
    ["1.2.3.4", [1, 2, 3, 4]],
  ])("reads %s as sscanf does", (text, bytes) => {
    expect(parseLladdrBytes(text, 20)).toEqual(bytes);
  });

  it.each([
    ["zz:00:00:00:00:01", "zz"],
    ["02:00:00:00:00:100", "100"],
    ["02::00:00:00:01", ""],
    ["", ""],
    ["02:00:00:00:00:-1", "-1"],
    ["1.2.3.x", "1.2.3.x"],
  ])("names the bad part of %s", (text, part) => {
    expect(() => parseLladdrBytes(text, 20)).toThrow(`"${part}" is invalid lladdr.`);
  });

  it("round-trips any bytes in any spelling", () => {
    const spelledByte = fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.boolean())
      .map(([value, isUpper, isPadded]) => {
        const hex = value.toString(16);
        const padded = isPadded ? hex.padStart(2, "0") : hex;
        return { value, text: isUpper ? padded.toUpperCase() : padded };
      });
    fc.assert(
      fc.property(fc.array(spelledByte, { minLength: 1, maxLength: 20 }), (bytes) => {
        const text = bytes.map((byte) => byte.text).join(":");
        const expected = bytes.map((byte) => byte.value);
        expect(parseLladdrBytes(text, 20)).toEqual(expected);
      }),
    );
  });
});

describe("link name checks", () => {
  it.each(["", "a/b", "has space", "tab\there", "abcdefghijklmnop"])(
    "check_ifname rejects %j",
    (name) => {
      expect(() => checkIfname(name, "name")).toThrow(
        `Error: argument "${name}" is wrong: "name" not a valid ifname`,
      );
    },
  );

  it("check_altifname allows up to 127 bytes", () => {
    expect(() => checkAltIfname("x".repeat(127), "dev")).not.toThrow();
    expect(() => checkAltIfname("x".repeat(128), "dev")).toThrow('"dev" not a valid ifname');
  });

  it("rejected ip link add changes nothing", () => {
    const badName = fc.oneof(
      fc.constant(""),
      fc.string({ maxLength: 8 }).map((text) => `${text}/x`),
      fc.string({ maxLength: 8 }).map((text) => `x ${text}`),
      fc
        .array(fc.constantFrom(..."abz019"), { minLength: 16, maxLength: 20 })
        .map((chars) => chars.join("")),
    );
    const before = runScript("ip link add v0 type veth peer name v1").state;
    fc.assert(
      fc.property(badName, (name) => {
        // Single quotes keep the name one word; names with a quote are left out.
        fc.pre(!name.includes("'"));
        const { state, lines } = runScript(`ip link add name '${name}' type bridge`, {
          from: before,
        });
        expect(lines[0]!.exitCode).toBe(255);
        expect(state).toBe(before);
      }),
    );
  });
});

describe("ip link del with a type", () => {
  it.each(["ip link del v1 type veth", "ip link delete dev v1 type bridge"])(
    "%s deletes the veth pair",
    (command) => {
      const { state, lines } = runScript(`ip link add v1 type veth peer name v2\n${command}\n`);
      const names = Object.values(state.namespaces[HOST_NS]!.links).map((link) => link.name);

      expect(lines[1]!.exitCode).toBe(0);
      expect(names).toEqual(["lo"]);
    },
  );

  it("rejects type options it does not read", () => {
    const result = lastLine(
      "ip link add v1 type veth peer name v2\nip link del v1 type veth peer name v2",
    );

    expect(result.output).toMatch(/^hoptrace: not supported: ip link del type options/);
  });

  it("requires a device", () => {
    expect(lastLine("ip link del type veth")).toEqual({
      exitCode: 255,
      output: 'Not enough information: "dev" argument is required.\n',
    });
  });
});

describe("ip bad input", () => {
  it("netns add rejects an empty name", () => {
    const result = lastLine(`ip netns add ""`);
    expect(result.exitCode).toBe(255);
    expect(result.output).toBe('Invalid netns name ""\n');
  });

  it("netns add host fails as not supported", () => {
    const { state, lines } = runScript("ip netns add host");

    expect(lines[0]!.exitCode).toBe(1);
    expect(lines[0]!.output).toBe(
      'hoptrace: not supported: a namespace named "host", the name hoptrace gives the initial namespace\n',
    );
    expect(state.names).toEqual([]);
  });

  it("netns add accepts a name with a space", () => {
    const { state, lines } = runScript(`ip netns add "has space"`);
    expect(lines[0]!.exitCode).toBe(0);
    expect(state.names).toContain("has space");
  });

  it.each([
    ["ip addr shwo", "ip address help"],
    ["ip link sett v1 up", "ip link help"],
    ["ip neigh shwo", "ip neigh help"],
    ["ip netns lsit", "ip netns help"],
    ["ip route flsh", "ip route help"],
  ])("%s exits 255", (command, help) => {
    const result = lastLine(command);
    expect(result.exitCode).toBe(255);
    expect(result.output).toContain(`try "${help}".`);
  });

  it.each(["ip neigh show nud all", "ip neigh show nud noarp", "ip -4 neigh show nud all"])(
    "%s fails as not supported",
    (command) => {
      const result = lastLine(command);
      expect(result.exitCode).toBe(1);
      expect(result.output).toMatch(/^hoptrace: not supported: ip neigh show nud all\|noarp/);
    },
  );

  it("neigh add stores the first 6 bytes of a longer lladdr", () => {
    const { state, lines } = runScript(
      [
        "ip link add v1 type veth peer name v2",
        "ip neigh add 10.0.0.6 lladdr 02:00:00:00:00:01:07 dev v1",
        "ip neigh add 10.0.0.4 lladdr 02:00:00:00:00:0g dev v1",
      ].join("\n"),
    );
    expect(lines.map((line) => line.exitCode)).toEqual([0, 0, 0]);
    const macs = state.namespaces[HOST_NS]!.neigh.map((entry) => entry.mac);
    expect(macs).toEqual(["02:00:00:00:00:01", "02:00:00:00:00:00"]);
  });

  it("neigh add rejects a 3-byte lladdr", () => {
    const before = runScript("ip link add v1 type veth peer name v2").state;
    const { state, lines } = runScript("ip neigh add 10.0.0.5 lladdr 1:2:3 dev v1", {
      from: before,
    });
    expect(lines[0]!.exitCode).toBe(2);
    expect(lines[0]!.output).toBe("Error: Invalid link address.\n");
    expect(state).toBe(before);
  });

  it("link address reads loose spellings", () => {
    const { state, lines } = runScript(
      [
        "ip link add v1 type veth peer name v2",
        "ip link set v1 address 0x2:0:0:0:0:1f",
        "ip link add name b2 address 02:00:00:00:00:1g2 type bridge",
      ].join("\n"),
    );
    expect(lines.map((line) => line.exitCode)).toEqual([0, 0, 0]);
    const host = state.namespaces[HOST_NS]!;
    expect(findLink(host, "v1")!.mac).toBe("02:00:00:00:00:1f");
    expect(findLink(host, "b2")!.mac).toBe("02:00:00:00:00:01");
  });

  it.each([
    ["ip link set v1 address 1:2:3", 1, "Invalid address length 3 - must be 6 bytes\n"],
    ["ip link set v1 address 2:0:0:0:0:1:7", 1, "Invalid address length 7 - must be 6 bytes\n"],
    ["ip link add b1 address 1:2:3 type bridge", 2, "RTNETLINK answers: Invalid argument\n"],
  ])("%s is rejected", (command, exitCode, output) => {
    const before = runScript("ip link add v1 type veth peer name v2").state;
    const { state, lines } = runScript(command, { from: before });
    expect(lines[0]!.exitCode).toBe(exitCode);
    expect(lines[0]!.output).toBe(output);
    expect(state).toBe(before);
  });

  it("bridge cannot be enslaved to a bridge", () => {
    const result = lastLine(
      ["ip link add br9 type bridge", "ip link set br9 master br9"].join("\n"),
    );
    expect(result.exitCode).toBe(2);
    expect(result.output).toBe("Error: Can not enslave a bridge to a bridge.\n");
  });

  it("lo cannot join a bridge", () => {
    const result = lastLine(
      ["ip link add br9 type bridge", "ip link set lo master br9"].join("\n"),
    );
    expect(result.exitCode).toBe(2);
    expect(result.output).toBe("RTNETLINK answers: Invalid argument\n");
  });

  it.each(["ip -d link show", "ip -details link show lo", "ip -d addr show"])(
    "%s is unsupported",
    (command) => {
      const result = lastLine(command);
      expect(result.exitCode).toBe(1);
      expect(result.output).toContain("not supported: ip -d (details)");
    },
  );
});

describe("ip link add of an ifb link", () => {
  it("is not supported", () => {
    const last = lastLine("ip link add t0 type ifb\n");

    expect(last.output).toBe("hoptrace: not supported: ip link add ... type ifb\n");
    expect(last.exitCode).toBe(1);
  });
});

describe("ip link set keywords", () => {
  it.each(["allmulticast on", "trailers off", "carrier on", "state up", "protodown on"])(
    "rejects %s as not supported",
    (words) => {
      const result = lastLine(`ip link add v0 type veth peer name v1\nip link set v0 ${words}`);
      expect(result.output.trimEnd()).toBe(
        `hoptrace: not supported: ip link set ... ${words.split(" ")[0]}`,
      );
      expect(result.exitCode).toBe(1);
    },
  );

  it("still calls a second device name garbage", () => {
    const result = lastLine("ip link add v0 type veth peer name v1\nip link set v0 v1");
    expect(result.output.trimEnd()).toBe('Error: either "dev" is duplicate, or "v1" is a garbage.');
    expect(result.exitCode).toBe(255);
  });
});

import { describe, expect, it } from "vitest";
import { parseCommandLine } from "./shell-syntax.js";

describe("parseCommandLine", () => {
  it("splits lists, background jobs and pipelines", () => {
    const list = parseCommandLine("a & b | c && d; e");

    expect(list.items.map((item) => item.background)).toEqual([true, false, false]);
    expect(list.items[1]!.andOr.first.commands).toHaveLength(2);
    expect(list.items[1]!.andOr.rest.map((step) => step.op)).toEqual(["&&"]);
  });

  it("reads redirections with their file descriptors", () => {
    const command = parseCommandLine("cmd >/tmp/a 2>&1 &>>/tmp/b <in").items[0]!.andOr.first
      .commands[0]!;

    expect(command.redirects.map(({ fd, op }) => `${fd}${op}`)).toEqual([
      "1>",
      "2>&",
      "1&>>",
      "0<",
    ]);
    expect(command.words).toHaveLength(1);
  });

  it("keeps quoting and expansions apart", () => {
    const word =
      parseCommandLine(`echo "a $X"'$Y'$(cat /f)`).items[0]!.andOr.first.commands[0]!.words[1]!;

    expect(word.map((part) => part.kind)).toEqual(["text", "param", "text", "command"]);
    expect(word[2]).toEqual({ kind: "text", text: "$Y", quoted: true });
  });

  it("takes leading NAME=value words as assignments", () => {
    const command = parseCommandLine("A=1 B=$C cmd D=2").items[0]!.andOr.first.commands[0]!;

    expect(command.assignments.map((assignment) => assignment.name)).toEqual(["A", "B"]);
    expect(command.words).toHaveLength(2);
  });

  it("ends a comment at its newline", () => {
    const list = parseCommandLine("echo a # note\necho b");

    expect(list.items).toHaveLength(2);
  });

  it.for([
    ["; echo b", "syntax error near unexpected token `;'"],
    ["echo a && ;", "syntax error near unexpected token `;'"],
    ["echo a >", "syntax error near unexpected token `newline'"],
    ["echo a |", "line 2: syntax error: unexpected end of file"],
    ["echo a ||", "line 2: syntax error: unexpected end of file"],
    ["echo )", "syntax error near unexpected token `)'"],
  ])("rejects %s as bash does", ([line, message]) => {
    expect(() => parseCommandLine(line!)).toThrow(message!);
  });

  it.each([["echo '{1,2}' \"{a,b}\" {} {x} ${HOME}", ["echo", "{1,2}", "{a,b}", "{}", "{x}"]]])(
    "keeps quoted and single braces of %s as text",
    (line, words) => {
      const parsed = JSON.stringify(parseCommandLine(line));
      for (const word of words) expect(parsed).toContain(JSON.stringify(word).slice(1, -1));
    },
  );

  it.for([
    ["cat <<EOF", "<<"],
    ["(echo a)", "subshells"],
    ["echo `date`", "backquote"],
    ["echo $((1+1))", "arithmetic"],
    ["echo $1", "$1"],
    ["echo ${X:-y}", "parameter expansion"],
    ["echo a{1,2}", "brace expansion {1,2}"],
    ["ip link add v{0..3} type dummy", "brace expansion {0..3}"],
    ["echo $'e\\tf'", "ANSI-C quoting"],
  ])("reports %s as not supported", ([line, feature]) => {
    expect(() => parseCommandLine(line!)).toThrow(feature!);
  });
});

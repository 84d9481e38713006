/// <reference types="node" />
// Runs each simulated kernel case through hoptrace and compares the transcript with the one the
// real kernel recorded, after masking the volatile fields.
import { afterAll, describe, expect, it } from "vitest";
import { compareTranscripts } from "../../src/script/compare.js";
import { runScript } from "../../src/script/run.js";
import { simulatedCases } from "./case-list.js";
import {
  describeMismatch,
  findMissingCasesFolder,
  readRecordedCase,
  skipUnlessCI,
} from "./recorded-case.js";

const missingFolder = findMissingCasesFolder();
let matching = 0;

describe("recorded kernel cases", () => {
  afterAll(() => {
    if (missingFolder === undefined) {
      console.log(`${matching}/${simulatedCases.length} kernel cases match`);
    }
  });

  it.for(simulatedCases)("%s matches the kernel", (name, { skip }) => {
    if (missingFolder !== undefined) skipUnlessCI(skip, missingFolder);
    const recorded = readRecordedCase(name);

    const { transcript } = runScript(recorded.script);
    const comparison = compareTranscripts(recorded.transcript, transcript);

    if (comparison.agree) matching++;
    expect(comparison.agree, describeMismatch(name, comparison, "hoptrace")).toBe(true);
  });
});

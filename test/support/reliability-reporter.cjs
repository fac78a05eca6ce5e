// Jest reporter that writes docs/RELIABILITY.md from the rows the reliability tests record
// (test/support/reliability.ts), after a run in which every reliability suite ran and passed. A
// partial or failing run leaves the document as it is.
const { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { basename, join } = require("node:path");

const ROWS_DIR_ENV = "POLYTOMIC_RELIABILITY_ROWS";
const ROOT = join(__dirname, "..", "..");
const SUITES_DIR = join(ROOT, "test", "reliability");
const DOCUMENT = join(ROOT, "docs", "RELIABILITY.md");

/** Areas in the order of the issue that asked for them. */
const AREAS = [
  "Faults during deploy",
  "Lost responses",
  "Interrupted apply",
  "Adoption conflicts",
  "Bad input, generated",
  "Bad responses",
  "Secrets",
  "Emulator robustness",
];

const cell = (text) => String(text).replace(/\|/g, "\\|").replace(/\n/g, " ");

function render(rows) {
  const sorted = [...rows].sort(
    (a, b) => AREAS.indexOf(a.area) - AREAS.indexOf(b.area) || a.scenario.localeCompare(b.scenario),
  );
  const lines = [
    "# Reliability record",
    "",
    "What was tried against cdktf-polytomic, how, and what happened. Every row is written by the test",
    "that performs it (`test/reliability/`): `npm test` regenerates this file after a run in which all",
    "reliability suites pass, so the record cannot drift from what the tests check. The tests assert the",
    "outcomes; the numbers in the results are those of the last such run.",
    "",
    "| Area | Scenario | How | Result |",
    "| --- | --- | --- | --- |",
    ...sorted.map(
      (row) =>
        `| ${cell(row.area)} | ${cell(row.scenario)} | ${cell(row.how)} | ${cell(row.result)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

class ReliabilityReporter {
  constructor() {
    this.rowsDir = mkdtempSync(join(tmpdir(), "polytomic-reliability-"));
    // Test workers are started after reporters are built, so they inherit this.
    process.env[ROWS_DIR_ENV] = this.rowsDir;
  }

  onRunComplete(_contexts, results) {
    try {
      const suites = readdirSync(SUITES_DIR).filter((name) => name.endsWith(".test.ts"));
      const ran = results.testResults.filter((result) =>
        result.testFilePath.startsWith(SUITES_DIR),
      );
      const complete = suites.every((suite) =>
        ran.some((result) => basename(result.testFilePath) === suite),
      );
      const passed = ran.every((result) => result.numFailingTests === 0 && !result.testExecError);
      if (!complete || !passed) return;
      const rows = readdirSync(this.rowsDir).flatMap((file) =>
        readFileSync(join(this.rowsDir, file), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      );
      writeFileSync(DOCUMENT, render(rows));
    } finally {
      rmSync(this.rowsDir, { recursive: true, force: true });
    }
  }
}

module.exports = ReliabilityReporter;

/**
 * Rows of docs/RELIABILITY.md. Reliability tests record what they tried, how and what happened;
 * the reliability reporter (jest.config.js) writes the document after a run in which every
 * reliability suite passed.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export interface ReliabilityRow {
  /** Groups rows in the document, e.g. "Faults during deploy". */
  readonly area: string;
  readonly scenario: string;
  readonly how: string;
  readonly result: string;
}

/** Where rows of the current run are collected; the reporter sets it per run. */
export const ROWS_DIR_ENV = "POLYTOMIC_RELIABILITY_ROWS";

export function record(row: ReliabilityRow): void {
  const dir = process.env[ROWS_DIR_ENV];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(row)}\n`);
}

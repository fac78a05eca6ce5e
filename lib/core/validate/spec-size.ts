/** The encoded spec travels in one environment variable, which Linux caps in size. */
import { MAX_ENV_STRING_BYTES, SPEC_ENV } from "../contract";
import type { IssueCollector } from "../errors";

export function checkSpecSize(issues: IssueCollector, encoded: string): void {
  const bytes = SPEC_ENV.length + 1 + encoded.length + 1;
  if (bytes <= MAX_ENV_STRING_BYTES) return;
  issues.add({
    property: "(the whole object)",
    received: `${bytes} bytes once encoded`,
    problem: `is too large: its spec must fit in one environment variable of at most ${MAX_ENV_STRING_BYTES} bytes`,
    fix: "Shorten the query (move logic into a Snowflake view) or split the sync's mappings across several syncs.",
  });
}

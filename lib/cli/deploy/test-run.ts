/**
 * The test gate of syncs declared with `testRun`: after the deploy's writes, each such sync whose
 * configuration has not passed a test runs a test execution (Polytomic checks a sample of records
 * against the target without writing them), and refused records fail the deploy.
 *
 * Whether a configuration passed is read from Polytomic itself, so that a re-run cannot skip a
 * failed test: it passed when the sync's newest test execution ended with every record accepted
 * and started after the last change to the sync and to its model (their `updated_at`). A deploy
 * that wrote the sync, its model or one of its connections tests it in any case. A sync whose test
 * fails is turned inactive, so that its schedule does not run what failed; the next deploy sees it
 * differ from the declaration and tests it again.
 */
import type { PolytomicClient, SyncExecution } from "../../api";
import { DEFAULT_TEST_RUN_TIMEOUT_SECONDS, TEST_RUN_TIMEOUT_ENV } from "../../core/contract";
import { ProvisionError } from "../errors";
import type { Clock } from "../executions";
import {
  describeOutcome,
  hasEnded,
  secondsFrom,
  startExecution,
  succeeded,
  waitForEnd,
} from "../executions";
import type { Session } from "../session";

export interface TestSubject {
  readonly name: string;
  readonly id: string;
  /** What this deploy wrote that the test must cover (`it was created`), if anything. */
  readonly written?: string;
  /** The last change to the sync or its model, as Polytomic dates it. */
  readonly changedAt?: string;
  /** Whether the sync is active in Polytomic once written. */
  readonly active: boolean;
}

export interface TestBudget {
  readonly seconds: number;
  /** Epoch milliseconds by which every test of the deploy must have ended. */
  readonly deadline: number;
}

export function testBudget(session: Session): TestBudget {
  const seconds = secondsFrom(session.env, TEST_RUN_TIMEOUT_ENV, DEFAULT_TEST_RUN_TIMEOUT_SECONDS);
  return { seconds, deadline: session.now() + seconds * 1000 };
}

function time(value: string | undefined): number {
  const parsed = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(parsed) ? -Infinity : parsed;
}

/** The latest of some Polytomic timestamps, undefined if none is one. */
export function latest(values: readonly (string | undefined)[]): string | undefined {
  let found: string | undefined;
  for (const value of values) if (time(value) > time(found)) found = value;
  return found;
}

/**
 * The sync's newest test execution started at or after `since`, reading the executions newest
 * first and stopping at the first one older than `since`.
 */
export async function latestTestSince(
  client: PolytomicClient,
  syncId: string,
  since: string | undefined,
): Promise<SyncExecution | undefined> {
  const from = time(since);
  let token: string | undefined;
  do {
    const page = await client.listSyncExecutionsPage(syncId, {}, token);
    for (const execution of page.items) {
      if (time(execution.created_at) < from) return undefined;
      if (execution.type === "test") return execution;
    }
    token = page.pagination.next_page_token || undefined;
  } while (token);
  return undefined;
}

/** Whether an ended test shows the configuration works: records were handled and none refused. */
function passed(execution: SyncExecution): boolean {
  return succeeded(execution) && (execution.counts?.total ?? 0) > 0;
}

/** Why the recorded state calls for a test, or undefined when the configuration passed one. */
async function dueFromRecord(
  client: PolytomicClient,
  subject: TestSubject,
): Promise<string | undefined> {
  const last = await latestTestSince(client, subject.id, subject.changedAt);
  if (last === undefined) return "no test of its current configuration is recorded";
  if (!hasEnded(last)) return `its last test (execution ${last.id}) has not ended`;
  if (!passed(last)) return `its last test (execution ${last.id}) did not pass`;
  return undefined;
}

/**
 * Tests one sync if it is due; returns the lines to print when it passed, throws the readable
 * summary when it did not.
 */
export async function testSync(
  session: Session,
  clock: Clock,
  subject: TestSubject,
  budget: TestBudget,
): Promise<void> {
  const { client, output } = session;
  const label = `sync ${JSON.stringify(subject.name)}`;
  const reason = subject.written ?? (await dueFromRecord(client, subject));
  if (reason === undefined) {
    output.info(`= ${label} passed its test of this configuration before; not tested again`);
    return;
  }
  output.info(
    `${label}: testing (${reason}): a test execution checks a sample of records against the target without writing them; waiting up to ${budget.seconds} s`,
  );
  const tooLong = (what: string) =>
    new ProvisionError(
      `the test of ${label} (id ${subject.id}) ${what} within ${budget.seconds} s; ${TEST_RUN_TIMEOUT_ENV} sets how long a deploy waits, and the next deploy tests it again`,
    );
  const started = await startExecution(client, clock, subject.id, { test: true }, budget.deadline);
  if (started === undefined) throw tooLong("could not start: another execution was still running");
  const ended = await waitForEnd(
    clock,
    () => client.getSyncExecution(subject.id, started.id),
    budget.deadline,
  );
  if (ended === undefined) throw tooLong(`(execution ${started.id}) did not end`);
  const lines = await describeOutcome(client, subject.id, ended);
  if (passed(ended)) {
    output.info(`${label}: test passed, ${lines.join("\n  ")}`);
    return;
  }
  if ((ended.counts?.total ?? 0) === 0 && ended.status === "completed") {
    lines.push("the test handled no record: the model returned no rows (after the sync's filters)");
  }
  if (subject.active) {
    await client.activateSync(subject.id, false);
    lines.push(
      "the sync was turned inactive so that its schedule does not run this configuration; a deploy whose test passes turns it back on",
    );
  }
  throw new ProvisionError(
    `test failed (sync id ${subject.id}), so the deploy fails; fix the sync or its model and deploy again:\n${lines.join("\n")}`,
  );
}

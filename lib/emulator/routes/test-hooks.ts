/**
 * Test-only routes outside `/api`, needing no API key, so tests can see what a client sent and
 * start from a clean slate:
 * - `GET /emulator/requests`: JSON array of every request served so far, in order, as
 *   `{method, path, query, status, idempotency_key?, dropped?}`, excluding /emulator routes.
 * - `POST /emulator/reset`: deletes every connection, model, sync and stored idempotent outcome
 *   and clears the request log; organizations keep their ids.
 */
import { ApiError, notFound } from "../errors";
import type { Outcome } from "../outcome";
import { emptyOutcome, errorOutcome, jsonOutcome, withHeaders } from "../outcome";
import type { RequestLog } from "../request-log";
import type { Store } from "../store";

export function testHook(
  method: string,
  path: string,
  store: Store,
  requests: RequestLog,
): Outcome {
  const hooks: Record<string, { readonly method: string; readonly run: () => Outcome }> = {
    "/emulator/requests": { method: "GET", run: () => jsonOutcome(200, requests.list()) },
    "/emulator/reset": {
      method: "POST",
      run: () => {
        store.reset();
        requests.clear();
        return emptyOutcome();
      },
    },
  };
  const hook = Object.hasOwn(hooks, path) ? hooks[path] : undefined;
  if (hook === undefined) return errorOutcome(notFound(`no route for ${method} ${path}`));
  if (hook.method !== method) {
    const error = new ApiError(405, `use ${hook.method} on ${path}`);
    return withHeaders(errorOutcome(error), { allow: hook.method });
  }
  return hook.run();
}

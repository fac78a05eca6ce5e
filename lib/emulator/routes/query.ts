/**
 * Query-string parameters: booleans are `true`/`false` (polytomic-api.md §10.5); anything else is
 * a 400 naming the parameter.
 */
import { badRequest } from "../errors";

export function queryBoolean(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw badRequest(
    `query parameter ${name} must be true or false, received ${JSON.stringify(value)}`,
  );
}

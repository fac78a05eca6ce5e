/**
 * Cursor pagination as Polytomic does it for lists (polytomic-api.md §2.4): `limit` (default and
 * maximum 50; more is clamped, 0 or less means the default), an opaque `page_token` handed back
 * as `pagination.next_page_token`, and a total order so that a cursor is stable.
 */
import { badRequest } from "../errors";

export const PAGE_LIMIT = 50;

export interface PageOrder<T> {
  /** Negative when `a` comes first; never 0 for distinct items. */
  compare(a: T, b: T): number;
  /** What identifies an item's place in the order, as JSON-able strings. */
  key(item: T): readonly [string, string];
  fromKey(key: readonly [string, string]): T;
}

export function pageLimit(query: URLSearchParams): number {
  const value = query.get("limit");
  if (value === null) return PAGE_LIMIT;
  if (!/^-?\d+$/.test(value)) {
    throw badRequest(`query parameter limit must be an integer, received ${JSON.stringify(value)}`);
  }
  const limit = Number(value);
  return limit <= 0 || limit > PAGE_LIMIT ? PAGE_LIMIT : limit;
}

function isKey(value: unknown): value is [string, string] {
  return (
    Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string")
  );
}

/** One page of `items` (in any order) and the `pagination` sibling of the response. */
export function paginate<T extends K, K>(
  items: readonly T[],
  order: PageOrder<K>,
  query: URLSearchParams,
  limit: number,
): { page: T[]; pagination: { next_page_token?: string } } {
  const ordered = [...items].sort((a, b) => order.compare(a, b));
  const token = query.get("page_token");
  let start = 0;
  if (token !== null && token !== "") {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    } catch {
      decoded = undefined;
    }
    if (!isKey(decoded)) {
      throw badRequest("invalid page_token: pass back pagination.next_page_token as is");
    }
    const cursor = order.fromKey(decoded);
    start = ordered.findIndex((item) => order.compare(item, cursor) > 0);
    if (start < 0) start = ordered.length;
  }
  const page = ordered.slice(start, start + limit);
  const more = start + limit < ordered.length;
  const last = page[page.length - 1];
  return {
    page,
    pagination:
      more && last !== undefined
        ? { next_page_token: Buffer.from(JSON.stringify(order.key(last))).toString("base64url") }
        : {},
  };
}

interface Dated {
  readonly updated_at: string;
  readonly id: string;
}

/** Newest `updated_at` first, then by id: the order of the sync and model lists. */
export const BY_UPDATED_DESC: PageOrder<Dated> = {
  compare(a, b) {
    if (a.updated_at !== b.updated_at) return a.updated_at > b.updated_at ? -1 : 1;
    if (a.id === b.id) return 0;
    return a.id < b.id ? -1 : 1;
  },
  key: (item) => [item.updated_at, item.id],
  fromKey: ([updated_at, id]) => ({ updated_at, id }),
};

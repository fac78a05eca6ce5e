/**
 * `GET /api/syncs` (polytomic-api.md §2.4, §5.4): paginated for 2025-09-18 with lighter items,
 * plain for 2024-02-08, with the active / mode / target_connection_id filters.
 */
import type { Model } from "./helpers";
import { seedSync, TestEmulator } from "./helpers";

const TOTAL = 120;

let emu: TestEmulator;
let salesforce: string;
let model: Model;

interface Item {
  id: string;
  updated_at: string;
  active: boolean;
  mode: string;
}

beforeAll(async () => {
  emu = await TestEmulator.start();
  ({ salesforce, model } = await emu.seed());
  for (let index = 0; index < TOTAL; index += 1) {
    const body = {
      ...seedSync(model.id, salesforce),
      name: `Sync ${index}`,
      active: index % 3 === 0,
      ...(index % 4 === 0 && { mode: "updateOrCreate" }),
    };
    await emu.ok("POST", "/api/syncs", { body });
  }
});

afterAll(() => emu.close());

async function page(query: string) {
  const reply = await emu.ok("GET", `/api/syncs${query}`);
  return reply.json as { data: Item[]; pagination: { next_page_token?: string } };
}

async function all(query = "", separator = "?"): Promise<{ items: Item[]; pages: number[] }> {
  const items: Item[] = [];
  const pages: number[] = [];
  let token: string | undefined;
  do {
    const suffix = token === undefined ? "" : `page_token=${encodeURIComponent(token)}`;
    const joined = [query, suffix].filter((part) => part !== "").join("&");
    const reply = await page(joined === "" ? "" : `${separator}${joined}`);
    items.push(...reply.data);
    pages.push(reply.data.length);
    token = reply.pagination.next_page_token;
  } while (token !== undefined);
  return { items, pages };
}

test("pages of at most 50 cover every sync once, newest updated_at first, then by id", async () => {
  const { items, pages } = await all();
  expect(pages).toEqual([50, 50, 20]);
  expect(new Set(items.map((item) => item.id)).size).toBe(TOTAL);
  const sorted = [...items].sort((a, b) =>
    a.updated_at === b.updated_at ? (a.id < b.id ? -1 : 1) : a.updated_at > b.updated_at ? -1 : 1,
  );
  expect(items).toEqual(sorted);
});

test("the last page has no next_page_token", async () => {
  const reply = await page(
    "?limit=50&page_token=" + (await page("?limit=100")).pagination.next_page_token,
  );
  expect(reply.data.length).toBe(50);
  const last = await page(`?page_token=${reply.pagination.next_page_token}`);
  expect(last.data.length).toBe(20);
  expect(last.pagination).toEqual({});
});

test("items are the lighter ListSyncItem", async () => {
  const [item] = (await page("?limit=1")).data;
  expect(Object.keys(item).sort()).toEqual(
    [
      "active",
      "created_at",
      "created_by",
      "id",
      "mode",
      "model_ids",
      "name",
      "only_enrich_updates",
      "organization_id",
      "schedule",
      "skip_initial_backfill",
      "sync_all_records",
      "target_connection_id",
      "target_object",
      "updated_at",
      "updated_by",
    ].sort(),
  );
  expect(item).toEqual(
    expect.objectContaining({
      target_connection_id: salesforce,
      target_object: "Contact",
      model_ids: [model.id],
    }),
  );
});

test("limit: default and maximum 50, non-positive means the default, other values are honoured", async () => {
  expect((await page("")).data.length).toBe(50);
  expect((await page("?limit=500")).data.length).toBe(50);
  expect((await page("?limit=0")).data.length).toBe(50);
  expect((await page("?limit=-3")).data.length).toBe(50);
  const small = await page("?limit=7");
  expect(small.data.length).toBe(7);
  const next = await page(`?limit=7&page_token=${small.pagination.next_page_token}`);
  expect(next.data[0].id).not.toBe(small.data[6].id);
});

test("a bad limit or page_token is a 400", async () => {
  expect((await emu.call("GET", "/api/syncs?limit=ten")).status).toBe(400);
  const bad = await emu.call("GET", "/api/syncs?page_token=not-a-token");
  expect(bad.status).toBe(400);
  expect(bad.json.message).toContain("page_token");
});

test("filters by active, mode and target connection, across pages", async () => {
  const active = await all("active=true");
  expect(active.items.length).toBe(TOTAL / 3);
  expect(active.items.every((item) => item.active)).toBe(true);
  const mode = await all("mode=updateOrCreate");
  expect(mode.items.length).toBe(TOTAL / 4);
  const target = await all(`target_connection_id=${salesforce}`);
  expect(target.items.length).toBe(TOTAL);
  expect((await all("target_connection_id=00000000-0000-0000-0000-000000000000")).items).toEqual(
    [],
  );
  expect((await emu.call("GET", "/api/syncs?active=yes")).status).toBe(400);
  expect((await emu.call("GET", "/api/syncs?mode=sideways")).status).toBe(400);
});

test("version 2024-02-08 answers the full syncs, unpaginated", async () => {
  const reply = await emu.ok("GET", "/api/syncs", {
    headers: { "x-polytomic-version": "2024-02-08" },
  });
  expect(reply.json.data.length).toBe(TOTAL);
  expect(reply.json.pagination).toBeUndefined();
  expect(reply.json.data[0].fields).toBeDefined();
  expect(reply.json.data[0].target).toEqual({ connection_id: salesforce, object: "Contact" });
});

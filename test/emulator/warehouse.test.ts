/**
 * The embedded warehouse: the built-in `users` table, tables from catalog files (JSON with rows,
 * CSV) and SQL seeds, loaded all or nothing with errors naming the file and the line or row, and
 * the test routes that show and extend it while the emulator keeps serving.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CatalogError } from "../../lib/emulator/warehouse/catalog-error";
import { loadCatalogFile } from "../../lib/emulator/warehouse/catalog-file";
import { loadSqlSeed, splitStatements } from "../../lib/emulator/warehouse/sql-seed";
import type { WarehouseSource } from "../../lib/emulator/warehouse/warehouse";
import { startEmulator } from "../../lib/emulator/server";
import { KEY, TestEmulator } from "./helpers";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "warehouse-"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problem(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as Error).message;
  }
  throw new Error("expected a CatalogError");
}

async function refusedAtStart(sources: WarehouseSource[]): Promise<string> {
  try {
    const emulator = await startEmulator({ apiKeys: [KEY], sources });
    await emulator.close();
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as Error).message;
  }
  throw new Error("expected the emulator to refuse the sources");
}

describe("catalog and seed files", () => {
  test("a CSV file is a table named after it, typed by the engine", async () => {
    const path = file(
      "signups.csv",
      'id,email,plan,signed_up,score,active\r\n1,a@example.com,pro,2024-01-02,1.5,true\r\n2,"b,c@example.com",,2024-02-03,2,false\r\n3,"say ""hi""",free,2024-03-04,,true\r\n',
    );
    const emu = await TestEmulator.start({
      sources: [{ kind: "tables", tables: loadCatalogFile(path) }],
    });
    try {
      const reply = await emu.ok("POST", "/emulator/warehouse/query", {
        key: null,
        body: { sql: "SELECT * FROM signups ORDER BY id" },
      });
      expect(
        reply.json.columns.map((c: { name: string; remote_type: string }) => [
          c.name,
          c.remote_type,
        ]),
      ).toEqual([
        ["id", "number"],
        ["email", "varchar"],
        ["plan", "varchar"],
        ["signed_up", "date"],
        ["score", "float"],
        ["active", "boolean"],
      ]);
      expect(reply.json.rows).toEqual([
        [1, "a@example.com", "pro", "2024-01-02", 1.5, true],
        [2, "b,c@example.com", null, "2024-02-03", 2, false],
        [3, 'say "hi"', "free", "2024-03-04", null, true],
      ]);
    } finally {
      await emu.close();
    }
  });

  test.each([
    [
      "a record with too many fields",
      "a,b\n1,2\n3,4,5\n",
      "line 3: 3 fields, but the header names 2 columns",
    ],
    ["a quote never closed", 'a,b\n1,"open\n2,3\n', "line 2: a quoted field is never closed"],
    ["a stray quote", 'a,b\n1,x"y\n', "line 2: a quote inside an unquoted field"],
    [
      "a header that is not a column name",
      "a,b c\n1,2\n",
      'column "b c" is not a plain identifier',
    ],
    ["an empty file", "", "is empty"],
  ])("a CSV file with %s is refused naming the file and the line", (_case, text, message) => {
    const path = file("broken.csv", text);
    const reason = problem(() => loadCatalogFile(path));
    expect(reason).toContain(path);
    expect(reason).toContain(message);
  });

  test("a JSON catalog holds typed or untyped tables with rows; the column-list form still works", async () => {
    const path = file(
      "catalog.json",
      JSON.stringify({
        tables: {
          orders: {
            columns: {
              order_id: "NUMBER",
              placed: "DATE",
              total: "NUMBER(10,2)",
              note: "VARCHAR(20)",
            },
            rows: [
              { order_id: 1, placed: "2024-05-01", total: 9.99 },
              [2, "2024-05-02", 100, "gift"],
            ],
          },
          events: { columns: ["kind", "at", "count"], rows: [["click", "2024-01-01 10:00:00", 3]] },
          legacy: ["a", "b"],
        },
      }),
    );
    const emu = await TestEmulator.start({
      sources: [{ kind: "tables", tables: loadCatalogFile(path) }],
    });
    try {
      const tables = (await emu.ok("GET", "/emulator/warehouse", { key: null })).json.tables;
      const byName = Object.fromEntries(tables.map((t: { name: string }) => [t.name, t]));
      expect(byName.orders).toEqual({
        name: "orders",
        kind: "table",
        rows: 2,
        columns: [
          { name: "order_id", type: "number", remote_type: "number" },
          { name: "placed", type: "datetime", remote_type: "date" },
          { name: "total", type: "number", remote_type: "number" },
          { name: "note", type: "string", remote_type: "varchar" },
        ],
      });
      expect(byName.events.columns.map((c: { remote_type: string }) => c.remote_type)).toEqual([
        "varchar",
        "timestamp_ntz",
        "number",
      ]);
      expect(byName.legacy).toEqual(expect.objectContaining({ rows: 0 }));
      expect(byName.users).toEqual(expect.objectContaining({ rows: 300 }));
    } finally {
      await emu.close();
    }
  });

  test.each([
    ["not JSON", '{"tables": {\n  "a": ["x"],\n}}', "is not valid JSON at line 3, column 1"],
    ["no tables key", "{}", 'must be a JSON object with a "tables" key'],
    [
      "an unknown type",
      '{"tables": {"t": {"columns": {"a": "MONEY"}}}}',
      'tables.t.columns.a: "MONEY" is not a Snowflake type',
    ],
    [
      "a row key that is no column",
      '{"tables": {"t": {"columns": ["a"], "rows": [{"b": 1}]}}}',
      "tables.t.rows[0].b is not a column of the table",
    ],
    [
      "a row of the wrong length",
      '{"tables": {"t": {"columns": ["a"], "rows": [[1, 2]]}}}',
      "tables.t.rows[0] has 2 values for 1 columns",
    ],
    [
      "a bad table name",
      '{"tables": {"my table": ["a"]}}',
      'table name "my table" is not a plain identifier',
    ],
  ])("a JSON catalog with %s is refused naming the file and the place", (_case, text, message) => {
    const path = file("bad.json", text);
    const reason = problem(() => loadCatalogFile(path));
    expect(reason).toContain(path);
    expect(reason).toContain(message);
  });

  test("a value that does not fit its declared type is refused naming the row, at start", async () => {
    const path = file(
      "typed.json",
      JSON.stringify({
        tables: { t: { columns: { d: "DATE" }, rows: [["2024-01-01"], ["someday"]] } },
      }),
    );
    const reason = await refusedAtStart([{ kind: "tables", tables: loadCatalogFile(path) }]);
    expect(reason).toBe(`catalog file ${path}: tables.t.rows[1]: d: "someday" is not a valid DATE`);
  });

  test("a SQL seed runs in order; a failing statement is named by its line and nothing stays", async () => {
    const good = file(
      "seed.sql",
      "-- accounts; with a comment\nCREATE TABLE accounts (id INTEGER, name VARCHAR);\nINSERT INTO accounts VALUES (1, 'it''s; fine'), (2, 'two');\n",
    );
    expect(loadSqlSeed(good).statements.map((s) => s.line)).toEqual([2, 3]);
    const emu = await TestEmulator.start({ sources: [{ kind: "sql", seed: loadSqlSeed(good) }] });
    try {
      const rows = await emu.ok("POST", "/emulator/warehouse/query", {
        key: null,
        body: { sql: "SELECT name FROM accounts ORDER BY id" },
      });
      expect(rows.json.rows).toEqual([["it's; fine"], ["two"]]);
    } finally {
      await emu.close();
    }
    const bad = file(
      "bad-seed.sql",
      "CREATE TABLE half (id INTEGER);\n\nINSERT INTO half\n  VALUES ('x');\n",
    );
    const reason = await refusedAtStart([{ kind: "sql", seed: loadSqlSeed(bad) }]);
    expect(reason).toBe(
      `seed file ${bad} line 4: Conversion Error: Could not convert string 'x' to INT32`,
    );
    expect(problem(() => loadSqlSeed(file("empty.sql", "-- nothing\n")))).toContain(
      "holds no SQL statement",
    );
    expect(problem(() => loadSqlSeed(join(dir, "missing.sql")))).toContain("cannot read seed file");
  });

  test("statements split at semicolons outside quotes, dollar quotes and comments", () => {
    expect(
      splitStatements("SELECT ';';\n/* a; b */ SELECT \"x;y\";SELECT $$;$$ -- ;\n;").map(
        (s) => s.text,
      ),
    ).toEqual(["SELECT ';'", '/* a; b */ SELECT "x;y"', "SELECT $$;$$ -- ;"]);
  });
});

describe("the built-in users table and the test routes", () => {
  let emu: TestEmulator;

  beforeAll(async () => {
    emu = await TestEmulator.start();
  });

  afterAll(() => emu.close());

  async function rows(sql: string) {
    return (await emu.ok("POST", "/emulator/warehouse/query", { key: null, body: { sql } })).json
      .rows;
  }

  test("holds 300 rows with the problems docs/EMULATOR.md lists, at their ids", async () => {
    expect(await rows("SELECT count(*), count(DISTINCT id) FROM users")).toEqual([[300, 300]]);
    expect(
      await rows("SELECT id FROM users WHERE last_name IS NULL OR last_name = '' ORDER BY id"),
    ).toEqual([23, 41, 58, 77, 96, 118, 131, 141, 167, 203, 244, 262].map((id) => [id]));
    expect(
      await rows(
        "SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM users v WHERE lower(v.email) = lower(u.email) AND v.id < u.id) ORDER BY id",
      ),
    ).toEqual([35, 64, 88, 150, 199, 251, 277, 290].map((id) => [id]));
    expect(
      await rows(
        "SELECT id FROM users WHERE length(first_name) > 40 OR length(last_name) > 80 ORDER BY id",
      ),
    ).toEqual([52, 109, 124, 186, 233].map((id) => [id]));
    expect(await rows("SELECT email FROM users WHERE id IN (19, 70) ORDER BY id")).toEqual([
      ["not-an-email"],
      ["jane.doe@"],
    ]);
    expect(
      await rows(
        "SELECT count(*) FROM users WHERE id <= 10 AND last_name <> '' AND length(first_name) <= 40 AND email LIKE '%@%.%'",
      ),
    ).toEqual([[10]]);
  });

  test("the same rows on every start", async () => {
    const other = await TestEmulator.start();
    try {
      const sql = "SELECT * FROM users ORDER BY id";
      const theirs = (
        await other.ok("POST", "/emulator/warehouse/query", { key: null, body: { sql } })
      ).json;
      expect(theirs.rows).toEqual(await rows(sql));
    } finally {
      await other.close();
    }
  });

  test("POST /emulator/warehouse loads tables or a seed, all or nothing, while serving", async () => {
    const loaded = await emu.call("POST", "/emulator/warehouse", {
      key: null,
      body: { tables: { teams: { columns: ["name", "size"], rows: [["core", 4]] } } },
    });
    expect(loaded.status).toBe(200);
    expect(loaded.json.tables).toContain("teams");
    const seeded = await emu.call("POST", "/emulator/warehouse", {
      key: null,
      raw: "CREATE TABLE regions AS SELECT 'emea' AS code; CREATE VIEW big_teams AS SELECT * FROM teams WHERE size > 3",
      contentType: "application/sql",
    });
    expect(seeded.status).toBe(200);
    const failing = await emu.call("POST", "/emulator/warehouse", {
      key: null,
      raw: "CREATE TABLE partial (a INTEGER);\nSELECT * FROM nowhere;",
      contentType: "application/sql",
    });
    expect(failing.status).toBe(400);
    expect(failing.json.message).toContain(
      "the posted seed line 2: Catalog Error: Table with name nowhere does not exist!",
    );
    const badCatalog = await emu.call("POST", "/emulator/warehouse", {
      key: null,
      body: { tables: { ok_table: ["a"], broken: { columns: { d: "DATE" }, rows: [["nope"]] } } },
    });
    expect(badCatalog.status).toBe(400);
    expect(badCatalog.json.message).toContain(
      'the posted catalog: tables.broken.rows[0]: d: "nope" is not a valid DATE',
    );
    const tables = (await emu.ok("GET", "/emulator/warehouse", { key: null })).json.tables.map(
      (t: { name: string }) => t.name,
    );
    expect(tables).toEqual(expect.arrayContaining(["teams", "regions", "big_teams", "users"]));
    expect(tables).not.toContain("partial");
    expect(tables).not.toContain("ok_table");
    expect((await emu.call("GET", "/api/me")).status).toBe(200);
  });

  test("models see tables loaded at run time, under the connection's database too", async () => {
    await emu.call("POST", "/emulator/warehouse", {
      key: null,
      raw: "CREATE TABLE late_arrival AS SELECT 1 AS id",
      contentType: "application/sql",
    });
    const snowflake = await emu.snowflake();
    const model = await emu.call("POST", "/api/models", {
      body: {
        name: "Late",
        connection_id: snowflake,
        configuration: { query: "SELECT id FROM DATABASE.PUBLIC.LATE_ARRIVAL" },
      },
    });
    expect(model.status).toBe(200);
  });

  test("the query route runs one SELECT and refuses anything else", async () => {
    for (const sql of [
      "DROP TABLE users",
      "SELECT 1; SELECT 2",
      "SELECT * FROM read_csv('/etc/hosts')",
    ]) {
      const reply = await emu.call("POST", "/emulator/warehouse/query", {
        key: null,
        body: { sql },
      });
      expect(reply.status).toBe(400);
    }
    expect(
      (await emu.call("POST", "/emulator/warehouse/query", { key: null, body: {} })).status,
    ).toBe(400);
    expect(await rows("SELECT count(*) FROM users")).toEqual([[300]]);
  });
});

import { deriveSelectColumns, QueryParseError } from "../../lib/core/sql/select-columns";

describe("deriveSelectColumns", () => {
  test("the seed query yields its five columns, the alias winning over the aggregate", () => {
    const result = deriveSelectColumns(
      "SELECT MAX(last_activity_date) AS last_activity_date, plan, first_name, last_name, email FROM users GROUP BY plan, first_name, last_name, email",
    );
    expect(result.columns).toEqual([
      "last_activity_date",
      "plan",
      "first_name",
      "last_name",
      "email",
    ]);
    expect(result.stars).toEqual([]);
    expect(result.unnamed).toEqual([]);
    expect(result.from).toEqual([{ name: "users" }]);
  });

  test("unquoted identifiers are lower-cased, quoted ones keep their spelling", () => {
    const result = deriveSelectColumns(
      'SELECT EMAIL, u.First_Name, "LastName", "t"."Mixed Case", x AS Alias, y AS "Quoted Alias", z zz FROM users u, t',
    );
    expect(result.columns).toEqual([
      "email",
      "first_name",
      "LastName",
      "Mixed Case",
      "alias",
      "Quoted Alias",
      "zz",
    ]);
  });

  test("stars are reported with their qualifier and do not hide the named columns", () => {
    const result = deriveSelectColumns("SELECT u.*, COUNT(*) AS n, * FROM users u");
    expect(result.columns).toEqual(["n"]);
    expect(result.stars).toEqual([{ position: 1, qualifier: "u" }, { position: 3 }]);
    expect(result.from).toEqual([{ name: "users", alias: "u" }]);
  });

  test("expressions without an alias are reported as unnamed", () => {
    const result = deriveSelectColumns("SELECT a + b, 'x', id::varchar, id FROM t");
    expect(result.columns).toEqual(["id"]);
    expect(result.unnamed.map((item) => item.position)).toEqual([1, 2, 3]);
    expect(result.unnamed[0].text).toBe("a + b");
    expect(result.output).toEqual(["A + B", "'X'", "ID::VARCHAR", "id"]);
  });

  test("a UNION and a WITH report the outer SELECT list", () => {
    expect(deriveSelectColumns("SELECT 1 AS x UNION ALL SELECT 2 AS y").columns).toEqual(["x"]);
    expect(deriveSelectColumns("WITH a AS (SELECT 1 AS v) SELECT v AS w FROM a").columns).toEqual([
      "w",
    ]);
  });

  test("non-ASCII identifiers survive", () => {
    expect(deriveSelectColumns('SELECT "Prénom", name AS "名前" FROM t').columns).toEqual([
      "Prénom",
      "名前",
    ]);
  });

  test("several statements, a non-SELECT and bad syntax are parse errors with a location", () => {
    expect(() => deriveSelectColumns("SELECT id FROM users; DROP TABLE users")).toThrow(
      /2 statements/,
    );
    expect(() => deriveSelectColumns("UPDATE users SET plan = 1")).toThrow(/UPDATE statement/);
    try {
      deriveSelectColumns("SELECT id,\nFROM users");
      throw new Error("expected a parse error");
    } catch (error) {
      expect(error).toBeInstanceOf(QueryParseError);
      expect((error as QueryParseError).line).toBe(2);
    }
  });
});

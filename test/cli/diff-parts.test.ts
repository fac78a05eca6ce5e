/**
 * The parts of `polytomic-cdktf diff` that need no Terraform or API: the line diff, recovering
 * Terraform values from the state, reading `terraform show -json`, and the text's colours.
 */
import { lineDiff } from "../../lib/cli/diff/line-diff";
import { fillFromRecord } from "../../lib/cli/diff/recorded-values";
import { COLOURED, PLAIN, renderReport } from "../../lib/cli/diff/render";
import type { DiffReport } from "../../lib/cli/diff/report";
import { parseShownState } from "../../lib/cli/diff/terraform-state";

describe("lineDiff", () => {
  test("keeps common lines and shows removals before additions", () => {
    expect(lineDiff(["SELECT a", "FROM t", "WHERE x"], ["SELECT a, b", "FROM t"])).toEqual([
      { op: "-", text: "SELECT a" },
      { op: "+", text: "SELECT a, b" },
      { op: " ", text: "FROM t" },
      { op: "-", text: "WHERE x" },
    ]);
  });
  test("replays either side exactly", () => {
    const before = ["a", "b", "c", "d", "b"];
    const after = ["b", "x", "c", "b", "e"];
    const lines = lineDiff(before, after);
    expect(lines.filter((l) => l.op !== "+").map((l) => l.text)).toEqual(before);
    expect(lines.filter((l) => l.op !== "-").map((l) => l.text)).toEqual(after);
    expect(lines.filter((l) => l.op === " ").length).toBe(3);
  });
});

describe("fillFromRecord", () => {
  test("takes a value from the same place of the applied declaration", () => {
    const declared = { account: { $value: 0 }, dbname: "db", list: ["x", { $value: 1 }] };
    const recorded = { account: "acme-eu1", dbname: "old", list: ["x", "y"] };
    expect(fillFromRecord(declared, recorded)).toEqual({
      account: "acme-eu1",
      dbname: "db",
      list: ["x", "y"],
    });
  });
  test("takes a text built around a value only if its text parts still match", () => {
    const declared = { query: { $concat: ["SELECT * FROM ", { $value: 0 }, " WHERE a = '$'"] } };
    expect(fillFromRecord(declared, { query: "SELECT * FROM users WHERE a = '$'" })).toEqual({
      query: "SELECT * FROM users WHERE a = '$'",
    });
    expect(
      fillFromRecord(declared, { query: "SELECT a FROM users WHERE a = '$'" }),
    ).toBeUndefined();
  });
  test("a value Terraform resolved to null is null", () => {
    expect(fillFromRecord({ warehouse: { $value: 0 } }, { warehouse: null })).toEqual({
      warehouse: null,
    });
  });
  test("cannot fill what the state does not hold (never applied)", () => {
    expect(fillFromRecord({ account: { $value: 0 } }, undefined)).toBeUndefined();
    expect(fillFromRecord({ account: "plain" }, undefined)).toEqual({ account: "plain" });
  });
});

describe("parseShownState", () => {
  const inventory = (values: object) => ({
    values: {
      root_module: {
        resources: [
          {
            address: "terraform_data.model_a",
            type: "terraform_data",
            name: "model_a",
            values: { input: { name: "A", query: "SELECT 1 AS one" } },
          },
          {
            address: "terraform_data.model_b",
            type: "terraform_data",
            name: "model_b",
            values: { input: JSON.stringify({ name: "B", query: "SELECT 2 AS two" }) },
          },
          { address: `x.polytomic_inventory`, type: "x", name: "polytomic_inventory", values },
        ],
      },
    },
  });
  test("reads declarations and the terraform_data inventory", () => {
    const state = parseShownState(
      JSON.stringify(
        inventory({
          input: { api: {}, connection: [], model: [["A", "2026-12-01T10:00:00Z"]], sync: [] },
        }),
      ),
      "s",
    );
    expect(state.deployed).toBe(true);
    expect(state.owned.model).toEqual([["A", "2026-12-01T10:00:00Z"]]);
    expect(state.declarations.get("terraform_data.model_b")).toEqual({
      name: "B",
      query: "SELECT 2 AS two",
    });
    expect(state.declarations.get("terraform_data.model_a")).toEqual({
      name: "A",
      query: "SELECT 1 AS one",
    });
  });
  test("reads the null_resource inventory's JSON text", () => {
    const state = parseShownState(
      JSON.stringify(
        inventory({
          triggers: {
            api: "{}",
            connection: "[]",
            model: '[["A","2026-12-01T10:00:00Z","adopt"]]',
            sync: "[]",
          },
        }),
      ),
      "s",
    );
    expect(state.owned.model).toEqual([["A", "2026-12-01T10:00:00Z", "adopt"]]);
  });
  test("reads a failed deploy step, generations left by a failed deletion, and sensitive values", () => {
    const text = JSON.stringify({
      values: {
        root_module: {
          resources: [
            {
              type: "terraform_data",
              name: "connection_s",
              values: { input: { name: "S", username: "svc-user-7", account: "acme" } },
              sensitive_values: { input: { username: true } },
            },
            {
              type: "terraform_data",
              name: "polytomic_inventory",
              values: { input: { api: "{}", connection: '[["S","t"]]', model: "[]", sync: "[]" } },
            },
            {
              type: "terraform_data",
              name: "polytomic_generation",
              values: {
                input: { api: "{}", connection: "[]", model: '[["Old","t"]]', sync: "[]" },
              },
            },
            { type: "terraform_data", name: "polytomic_deploy", values: {}, tainted: true },
          ],
        },
      },
    });
    const state = parseShownState(text, "s");
    expect(state.deployFailed).toBe(true);
    expect(state.pending.model).toEqual([["Old", "t"]]);
    expect(state.sensitive).toEqual(["svc-user-7"]);
    expect(
      parseShownState(text.replace('"tainted":true', '"tainted":false'), "s").deployFailed,
    ).toBe(false);
  });
  test("an empty state is a stack never deployed; a foreign inventory is an error", () => {
    expect(parseShownState('{"format_version":"1.0"}', "s").deployed).toBe(false);
    expect(() =>
      parseShownState(JSON.stringify(inventory({ input: { model: "nope" } })), "s"),
    ).toThrow(
      /stack "s": the Terraform state's x.polytomic_inventory does not hold the owned objects/,
    );
    expect(() => parseShownState("not json", "s")).toThrow(/printed no JSON/);
  });
});

describe("renderReport", () => {
  const report: DiffReport = {
    format: 1,
    errors: [],
    differs: true,
    stacks: [
      {
        stack: "s",
        directory: "cdktf.out/stacks/s",
        reconcile: "on-change",
        deployed: true,
        problems: [],
        objects: [
          {
            kind: "sync",
            name: "S",
            construct: "ModelSync",
            path: "s/S",
            action: "update",
            id: "1",
            drift: true,
            changes: [{ field: "active", from: false, to: true, drift: true }],
          },
        ],
      },
    ],
  };
  test("colours only with the coloured style", () => {
    expect(renderReport(report, PLAIN)).not.toContain("\u001b[");
    expect(renderReport(report, COLOURED)).toContain('\u001b[33m~ sync "S"\u001b[0m');
  });
  test("says that an on-change stack waits for a code change to repair drift", () => {
    expect(renderReport(report, PLAIN)).toContain('reconcile: "on-change"');
    expect(renderReport(report, PLAIN)).toContain("active: false -> true (drift)");
  });
});

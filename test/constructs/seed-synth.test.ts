import { existsSync } from "node:fs";
import { join } from "node:path";
import { SnowflakeToSalesforce } from "../../examples/snowflake-to-salesforce/stack";
import { SalesforceConnection, SnowflakeConnection } from "../../lib";
import { decodeSpec } from "../../lib/core/canonical-json";
import { REPAIR_ENV, RUN_ENV, SCHEMA_VERSION, SPEC_ENV } from "../../lib/core/contract";
import { contactsSync, newStack, usersModel } from "../support/fixtures";
import type { Json } from "../support/synth";
import {
  applySpec,
  appliesByName,
  filesUnder,
  fullSynth,
  normalisedSynth,
  provisioners,
  resources,
  synthJson,
  testApp,
} from "../support/synth";

const API = { key_variable: "POLYTOMIC_API_KEY", version: "2025-09-18" };

function seed(engine?: "terraform_data" | "null_resource") {
  return new SnowflakeToSalesforce(testApp(), "seed", engine ? { polytomic: { engine } } : {});
}

describe("the seed example synthesizes", () => {
  test("snapshot, with asset hashes normalised", () => {
    expect(normalisedSynth(seed())).toMatchSnapshot();
  });

  test("synthesis is deterministic", () => {
    expect(normalisedSynth(seed())).toBe(normalisedSynth(seed()));
  });

  test("one apply resource per object carries the spec the CLI will apply", () => {
    const applies = appliesByName(synthJson(seed()));
    expect(Object.keys(applies).sort()).toEqual([
      "Active Users",
      "Salesforce Connection",
      "Snowflake Connection",
      "Snowflake to Salesforce Sync",
    ]);
    expect(applySpec(applies["Snowflake Connection"])).toEqual({
      schema_version: SCHEMA_VERSION,
      kind: "connection",
      name: "Snowflake Connection",
      api: API,
      type: "snowflake",
      configuration: {
        account: "uc193736182",
        username: "user",
        dbname: "database",
        warehouse: "warehouse",
        key_pair_auth: false,
      },
      secrets: { password: "SNOWFLAKE_PASSWORD" },
    });
    expect(applySpec(applies["Salesforce Connection"])).toMatchObject({
      type: "salesforce",
      configuration: { domain: "https://example.my.salesforce.com", connect_mode: "browser" },
      secrets: {},
    });
    expect(applySpec(applies["Active Users"])).toMatchObject({
      kind: "model",
      connection: "Snowflake Connection",
      columns: ["last_activity_date", "plan", "first_name", "last_name", "email"],
    });
    expect(applySpec(applies["Snowflake to Salesforce Sync"])).toEqual({
      schema_version: SCHEMA_VERSION,
      kind: "sync",
      name: "Snowflake to Salesforce Sync",
      api: API,
      model: "Active Users",
      mode: "create",
      target: { connection: "Salesforce Connection", object: "Contact" },
      identity: { source: "email", target: "Email", function: "Equality" },
      fields: [
        { source: "first_name", target: "FirstName" },
        { source: "last_name", target: "LastName" },
      ],
      override_fields: [],
      filters: [],
      schedule: { frequency: "continuous" },
      active: true,
    });
  });

  test("apply resources re-run only when their spec changes, and run node directly with a constant command", () => {
    const json = synthJson(seed());
    const asset = Object.values(appliesByName(json)).map(
      (resource) => provisioners(resource)[0].interpreter[1],
    );
    for (const resource of Object.values(appliesByName(json))) {
      const [provisioner, ...others] = provisioners(resource);
      expect(others).toEqual([]);
      expect(provisioner.command).toBe("upsert");
      expect(provisioner.when).toBeUndefined();
      expect(provisioner.interpreter).toEqual(["node", asset[0]]);
      expect(provisioner.environment).toEqual({
        [SPEC_ENV]: expect.any(String),
        [RUN_ENV]: "${plantimestamp()}",
      });
      expect(resource.triggers_replace).toEqual({
        spec_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
    expect(asset[0]).toMatch(/^assets\/[^/]+\/[0-9A-F]{32}\/cli\.cjs$/);
  });

  test("creation runs connection -> model -> sync, and lifecycle destruction runs sync -> model -> connection", () => {
    const json = synthJson(seed());
    const data = resources(json, "terraform_data");
    const applies = appliesByName(json);
    const address = (name: string) =>
      `terraform_data.${Object.keys(data).find((key) => data[key] === applies[name])}`;
    expect(applies["Active Users"].depends_on).toEqual(
      expect.arrayContaining([address("Snowflake Connection")]),
    );
    expect(applies["Snowflake to Salesforce Sync"].depends_on).toEqual(
      expect.arrayContaining([address("Active Users"), address("Salesforce Connection")]),
    );
    expect(data.polytomic_connections.depends_on).toEqual([]);
    expect(data.polytomic_models.depends_on).toEqual(["terraform_data.polytomic_connections"]);
    expect(data.polytomic_syncs.depends_on).toEqual(["terraform_data.polytomic_models"]);
    // Every apply waits for the lifecycles of its kind and of the kinds it refers to, so that a
    // removed object is deleted only after what referred to it was repointed.
    expect(applies["Snowflake to Salesforce Sync"].depends_on).toEqual(
      expect.arrayContaining([
        "terraform_data.polytomic_syncs",
        "terraform_data.polytomic_models",
        "terraform_data.polytomic_connections",
      ]),
    );
  });

  test("lifecycle resources hold one instance per object, keyed by name, deleting from their own state", () => {
    const data = resources(synthJson(seed()), "terraform_data");
    const expected: Record<string, string[]> = {
      polytomic_connections: ["Salesforce Connection", "Snowflake Connection"],
      polytomic_models: ["Active Users"],
      polytomic_syncs: ["Snowflake to Salesforce Sync"],
    };
    for (const [id, names] of Object.entries(expected)) {
      const lifecycle = data[id];
      expect(lifecycle.lifecycle).toEqual({ create_before_destroy: true });
      expect(lifecycle.input).toEqual({ spec: "${each.value.spec}" });
      const specs = Object.entries(lifecycle.for_each as Record<string, { spec: string }>).map(
        ([key, value]) => ({ key, spec: decodeSpec(value.spec) as Json }),
      );
      expect(specs.map(({ spec }) => spec.name).sort()).toEqual(names);
      for (const { key, spec } of specs) {
        expect(key).toMatch(new RegExp(`^${spec.name}-[0-9a-f]{8}$`));
        expect(spec).toEqual({
          schema_version: SCHEMA_VERSION,
          kind: expect.any(String),
          name: spec.name,
          api: API,
        });
      }
      expect(provisioners(lifecycle)).toEqual([
        {
          command: "delete",
          when: "destroy",
          interpreter: ["node", expect.stringMatching(/cli\.cjs$/)],
          environment: { [SPEC_ENV]: "${self.input.spec}" },
        },
      ]);
    }
  });

  test("receipts and a reconcile step repair objects an interrupted apply recorded but never applied", () => {
    const json = synthJson(seed());
    const data = resources(json, "terraform_data");
    const applies = Object.entries(data).filter(
      ([, resource]) => provisioners(resource)[0]?.command === "upsert",
    );
    expect(applies).toHaveLength(4);
    const created = {
      input: { created: "${plantimestamp()}" },
      lifecycle: { ignore_changes: ["input"] },
    };
    const receipts = applies.map(([id, apply]) => {
      expect(apply).toMatchObject(created);
      const receiptId = id.replace("_Apply_", "_Receipt_").replace(/_[0-9A-F]{8}$/, "");
      const [name, receipt] = Object.entries(data).find(([key]) => key.startsWith(receiptId))!;
      expect(receipt).toEqual({
        ...created,
        triggers_replace: { apply: `\${terraform_data.${id}.id}` },
      });
      expect(receipt.provisioner).toBeUndefined();
      return name;
    });
    const reconcile = data.polytomic_reconcile;
    expect(reconcile.triggers_replace.receipts.sort()).toEqual(
      receipts.map((id) => `\${terraform_data.${id}.id}`).sort(),
    );
    const [provisioner] = provisioners(reconcile);
    expect(provisioner).toMatchObject({
      command: "reconcile",
      interpreter: ["node", expect.stringMatching(/cli\.cjs$/)],
    });
    const repair = provisioner.environment[REPAIR_ENV];
    expect(repair).toMatch(
      /^\$\{jsonencode\(\[for apply, created in \{ .* \} : apply if created\[1\] == plantimestamp\(\) && created\[0\] != plantimestamp\(\)\]\)\}$/,
    );
    for (const [id] of applies)
      expect(repair).toContain(`"terraform_data.${id}" = [terraform_data.${id}.output.created, `);
  });

  test("the null_resource engine synthesizes the same provisioners on null_resource, with the null provider", () => {
    const json = synthJson(seed("null_resource"));
    expect(resources(json, "terraform_data")).toEqual({});
    const nulls = resources(json, "null_resource");
    expect(json.terraform.required_providers.null).toEqual({
      source: "null",
      version: expect.any(String),
    });
    expect(json.provider.null).toHaveLength(1);
    const applies = appliesByName(json, "null_resource");
    expect(Object.keys(applies)).toHaveLength(4);
    for (const resource of Object.values(applies)) {
      expect(resource.triggers).toEqual({
        spec_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        created: "${plantimestamp()}",
      });
      expect(resource.lifecycle).toEqual({ ignore_changes: ['triggers["created"]'] });
      expect(provisioners(resource)[0].command).toBe("upsert");
    }
    expect(nulls.polytomic_syncs.triggers).toEqual({ spec: "${each.value.spec}" });
    expect(nulls.polytomic_syncs.lifecycle).toEqual({ create_before_destroy: true });
    expect(provisioners(nulls.polytomic_syncs)[0]).toMatchObject({
      when: "destroy",
      command: "delete",
      environment: { [SPEC_ENV]: "${self.triggers.spec}" },
    });
    expect(nulls.polytomic_models.depends_on).toEqual(["null_resource.polytomic_connections"]);
    expect(nulls.polytomic_reconcile.triggers.receipts).toMatch(
      /^\$\{join\(",", \[null_resource\.\w+_Receipt_\w+\.id, /,
    );
    expect(provisioners(nulls.polytomic_reconcile)[0].environment[REPAIR_ENV]).toContain(
      ".triggers.created, null_resource.",
    );
  });

  test("the stack ships the CLI bundle once, at the path its provisioners run", () => {
    const { dir, json } = fullSynth(seed());
    const assets = filesUnder(join(dir, "assets"));
    expect(assets).toHaveLength(1);
    const [provisioner] = provisioners(Object.values(appliesByName(json))[0]);
    expect(existsSync(join(dir, provisioner.interpreter[1]))).toBe(true);
  });
});

describe("objects imported by name", () => {
  test("are referenced by name, get no resources and are never in a lifecycle (so never deleted)", () => {
    const stack = newStack();
    const target = SalesforceConnection.fromConnectionName(stack, "Crm", "Salesforce Prod");
    const model = usersModel(stack, {
      connection: SnowflakeConnection.fromConnectionName(stack, "Wh", "Warehouse"),
    });
    contactsSync(stack, undefined, { model, target });
    const json = synthJson(stack);
    const applies = appliesByName(json);
    expect(Object.keys(applies).sort()).toEqual(["Active Users", "Snowflake to Salesforce Sync"]);
    expect(applySpec(applies["Active Users"]).connection).toBe("Warehouse");
    expect(applySpec(applies["Snowflake to Salesforce Sync"]).target).toEqual({
      connection: "Salesforce Prod",
      object: "Contact",
    });
    expect(resources(json, "terraform_data").polytomic_connections.for_each).toEqual({});
  });
});

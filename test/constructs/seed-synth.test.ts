/**
 * What the seed example synthesizes: one `terraform_data` per object holding its readable
 * declaration, the stack machinery (inventory, generation, deploy step), and the stack file the
 * provisioners read.
 */
import type { TerraformStack } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { PolytomicSettings, SalesforceConnection, SnowflakeConnection } from "../../lib";
import { OWNED_ENV_PREFIX, STACK_FILE_FORMAT } from "../../lib/core/contract";
import { contactsSync, newStack, SEED_QUERY, usersModel } from "../support/fixtures";
import type { Json } from "../support/synth";
import {
  declarations,
  inputOf,
  fullSynth,
  normalisedSynth,
  provisioners,
  resources,
  stackFileIn,
  synthJson,
  testApp,
} from "../support/synth";
import { validate } from "../support/terraform";

function seed(stack = newStack()) {
  contactsSync(stack);
  return stack;
}

const OBJECTS = [
  "connection_Snowflake-Connection",
  "connection_Salesforce-Connection",
  "model_Active-Users",
  "sync_Snowflake-to-Salesforce-Sync",
];

describe("the seed example synthesizes", () => {
  test("snapshot, with asset hashes normalised", () => {
    expect(normalisedSynth(seed())).toMatchSnapshot();
  });

  test("synthesis is deterministic", () => {
    expect(normalisedSynth(seed())).toBe(normalisedSynth(seed()));
  });

  test("one terraform_data per object, named after its kind and name, holding its declaration", () => {
    const json = synthJson(seed());
    const data = resources(json, "terraform_data");
    expect(Object.keys(data).sort()).toEqual(
      [...OBJECTS, "polytomic_deploy", "polytomic_generation", "polytomic_inventory"].sort(),
    );
    // JSON text: Terraform shows it field by field, as jsonencode({...}).
    expect(typeof data["model_Active-Users"].input).toBe("string");
    expect(inputOf(data["model_Active-Users"])).toEqual({
      name: "Active Users",
      connection: "Snowflake Connection",
      query: SEED_QUERY,
    });
    expect(inputOf(data["connection_Snowflake-Connection"]).password).toEqual({
      env: "SNOWFLAKE_PASSWORD",
    });
    expect(inputOf(data["sync_Snowflake-to-Salesforce-Sync"])).toEqual({
      name: "Snowflake to Salesforce Sync",
      mode: "create",
      model: "Active Users",
      target: { connection: "Salesforce Connection", object: "Contact" },
      identity: { source: "email", target: "Email", function: "Equality" },
      fields: [
        { source: "first_name", target: "FirstName" },
        { source: "last_name", target: "LastName" },
      ],
      schedule: { frequency: "continuous" },
      active: true,
    });
  });

  test("a declaration keeps the plan time of its first deploy, and updates in place otherwise", () => {
    for (const resource of Object.values(declarations(synthJson(seed())))) {
      expect(resource.triggers_replace).toBe("${plantimestamp()}");
      expect(resource.lifecycle).toEqual({ ignore_changes: ["triggers_replace"] });
      expect(resource.provisioner).toBeUndefined();
    }
  });

  test("the inventory records each owned object with its claim; the generation is keyed by the set of names", () => {
    const data = resources(synthJson(seed()), "terraform_data");
    const inventory = data.polytomic_inventory;
    // One JSON text per part, into which Terraform interpolates each claim.
    const parts = Object.fromEntries(
      Object.entries(inventory.input as Record<string, string>).map(([key, text]) => [
        key,
        JSON.parse(text),
      ]),
    );
    expect(parts).toEqual({
      api: { version: "2025-09-18", key_variable: "POLYTOMIC_API_KEY" },
      connection: [
        [
          "Snowflake Connection",
          "${terraform_data.connection_Snowflake-Connection.triggers_replace}",
        ],
        [
          "Salesforce Connection",
          "${terraform_data.connection_Salesforce-Connection.triggers_replace}",
        ],
      ],
      model: [["Active Users", "${terraform_data.model_Active-Users.triggers_replace}"]],
      sync: [
        [
          "Snowflake to Salesforce Sync",
          "${terraform_data.sync_Snowflake-to-Salesforce-Sync.triggers_replace}",
        ],
      ],
    });
    expect(inventory.lifecycle).toEqual({ create_before_destroy: true });
    const generation = data.polytomic_generation;
    expect(Object.keys(generation.for_each)).toEqual([expect.stringMatching(/^[0-9a-f]{20}$/)]);
    expect(generation.input).toBe("${terraform_data.polytomic_inventory.input}");
    expect(generation.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("the generation's key changes with the set of names, not with other settings", () => {
    const key = (build: (stack: TerraformStack) => void) => {
      const stack = newStack();
      build(stack);
      return Object.keys(
        resources(synthJson(stack), "terraform_data").polytomic_generation.for_each,
      )[0];
    };
    const base = key((stack) => contactsSync(stack));
    expect(key((stack) => contactsSync(stack, () => ({ active: false })))).toBe(base);
    expect(key((stack) => contactsSync(stack, () => ({ name: "Renamed" })))).not.toBe(base);
  });

  test("provisioners run node directly with a constant command, deletions from their own state", () => {
    const data = resources(synthJson(seed()), "terraform_data");
    const [deploy] = provisioners(data.polytomic_deploy);
    expect(deploy.command).toBe("deploy");
    expect(deploy.interpreter).toEqual(["node", expect.stringMatching(/^assets\/.+\/cli\.cjs$/)]);
    expect(deploy.when).toBeUndefined();
    expect(deploy.environment[`${OWNED_ENV_PREFIX}SYNC`]).toBe(
      "${terraform_data.polytomic_inventory.input.sync}",
    );
    expect(data.polytomic_deploy.triggers_replace).toEqual({ run: "${uuid()}" });
    expect(data.polytomic_deploy.depends_on).toEqual(["terraform_data.polytomic_generation"]);
    for (const [resource, verb] of [
      [data.polytomic_inventory, "delete-all"],
      [data.polytomic_generation, "delete-removed"],
    ] as const) {
      const [step] = provisioners(resource);
      expect(step).toMatchObject({ command: verb, when: "destroy" });
      expect(Object.values(step.environment).every((value) => value.includes("self.input"))).toBe(
        true,
      );
    }
  });

  test('reconcile: "on-change" replaces the deploy step only when a declaration changes', () => {
    const trigger = (build: (stack: TerraformStack) => void) => {
      const stack = newStack();
      PolytomicSettings.configure(stack, { reconcile: "on-change" });
      build(stack);
      return resources(synthJson(stack), "terraform_data").polytomic_deploy.triggers_replace;
    };
    const base = trigger((stack) => contactsSync(stack));
    expect(base).toEqual({ declarations: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(trigger((stack) => contactsSync(stack))).toEqual(base);
    expect(trigger((stack) => contactsSync(stack, () => ({ active: false })))).not.toEqual(base);
  });

  test("the stack file holds every declaration, with the construct that made it", () => {
    const { dir } = fullSynth(seed());
    const file = stackFileIn(dir);
    expect(file).toMatchObject({
      format: STACK_FILE_FORMAT,
      stack: "test",
      reconcile: "always",
      adoptExisting: false,
      references: [],
    });
    expect(
      file.objects.map(({ address, construct, path, declaration }) => [
        address,
        construct,
        path,
        declaration.kind,
      ]),
    ).toEqual([
      [
        "terraform_data.connection_Snowflake-Connection",
        "SnowflakeConnection",
        "test/Snowflake",
        "connection",
      ],
      [
        "terraform_data.connection_Salesforce-Connection",
        "SalesforceConnection",
        "test/Salesforce",
        "connection",
      ],
      ["terraform_data.model_Active-Users", "QueryModel", "test/ActiveUsers", "model"],
      [
        "terraform_data.sync_Snowflake-to-Salesforce-Sync",
        "ModelSync",
        "test/ContactsSync",
        "sync",
      ],
    ]);
  });

  test("the null_resource engine carries the machinery on null_resource, with the null provider", () => {
    const stack = newStack();
    PolytomicSettings.configure(stack, { engine: "null_resource" });
    contactsSync(stack);
    const json = synthJson(stack);
    expect(Object.keys(resources(json, "null_resource")).sort()).toEqual([
      "polytomic_deploy",
      "polytomic_generation",
      "polytomic_inventory",
    ]);
    expect(Object.keys(resources(json, "terraform_data")).sort()).toEqual([...OBJECTS].sort());
    expect(json.terraform.required_providers.null).toBeDefined();
    const inventory = resources(json, "null_resource").polytomic_inventory;
    expect(JSON.parse(inventory.triggers.model)).toEqual([
      ["Active Users", "${terraform_data.model_Active-Users.triggers_replace}"],
    ]);
    expect(provisioners(inventory)[0].environment[`${OWNED_ENV_PREFIX}MODEL`]).toBe(
      "${self.triggers.model}",
    );
  });

  test("a NullProvider the stack declared first is reused", () => {
    const stack = newStack();
    new NullProvider(stack, "Mine");
    PolytomicSettings.configure(stack, { engine: "null_resource" });
    contactsSync(stack);
    expect(Object.keys(synthJson(stack).provider.null)).toHaveLength(1);
  });

  test("the stack ships the CLI bundle once, at the path its provisioners run", () => {
    const { dir, json } = fullSynth(seed());
    const paths = new Set(
      Object.values(resources(json, "terraform_data")).flatMap((resource: Json) =>
        provisioners(resource).map((p) => p.interpreter[1]),
      ),
    );
    expect(paths.size).toBe(1);
    expect(validate(dir)).toMatchObject({ status: 0 });
  });
});

describe("objects imported by name", () => {
  test("get no resources, are never in the inventory, and are listed as references", () => {
    const stack = newStack(testApp(), "imported");
    const snowflake = SnowflakeConnection.fromConnectionName(stack, "Snow", "Shared Snowflake");
    const salesforce = SalesforceConnection.fromConnectionName(stack, "Sf", "Salesforce Prod");
    const model = usersModel(stack, { connection: snowflake });
    contactsSync(stack, () => ({}), { model, target: salesforce });
    const { dir, json } = fullSynth(stack);
    const data = resources(json, "terraform_data");
    expect(Object.keys(data).filter((key) => key.startsWith("connection_"))).toEqual([]);
    expect(JSON.parse(data.polytomic_inventory.input.connection)).toEqual([]);
    expect(stackFileIn(dir).references).toEqual([
      {
        kind: "connection",
        name: "Shared Snowflake",
        type: "snowflake",
        path: "imported/Snow",
        construct: "SnowflakeConnection",
      },
      {
        kind: "connection",
        name: "Salesforce Prod",
        type: "salesforce",
        path: "imported/Sf",
        construct: "SalesforceConnection",
      },
    ]);
  });
});

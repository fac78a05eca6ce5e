/**
 * The Terraform resources that carry a stack's Polytomic objects (see lib/core/contract.ts for the
 * design and why each exists). Declarations are always `terraform_data`, the only resource whose
 * `input` updates in place; the engine setting chooses the resource type of the three pieces of
 * stack machinery that run the CLI: `terraform_data` (built in) or `null_resource`.
 *
 * Provisioners exec `node` through `interpreter` with a constant command (the verb): no shell.
 * References between the library's own resources are written as plain text rather than cdktf
 * tokens: each token records a stack trace when created, which costs large stacks much of their
 * synth (measured); addresses are the library's own and contain no user text.
 */
import type { ApiSettings, ObjectKind, Verb } from "../core/contract";
import {
  API_ENV,
  MACHINERY,
  OBJECT_KINDS,
  OWNED_ENV_PREFIX,
  REPORT_ENV,
  REPORT_FILE,
} from "../core/contract";
import type { Construct } from "constructs";
import type { Framework, LocalExecProvisioner, TerraformResource } from "./framework";
import { resourceClasses } from "./resources";
import { escapePrependInJson } from "../core/template-escape";
import type { Engine } from "./settings";

export function address(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** Gives a machinery resource its fixed name; done at once, since addresses are taken as text. */
function named<T extends TerraformResource>(resource: T, role: keyof Machinery): T {
  resource.overrideLogicalId(MACHINERY[role]);
  return resource;
}

function provisioner(
  verb: Verb,
  cliPath: string,
  environment: Record<string, unknown>,
  when?: "destroy",
): LocalExecProvisioner {
  return {
    type: "local-exec",
    interpreter: ["node", cliPath],
    command: verb,
    environment: environment as Record<string, string>,
    ...(when ? { when } : {}),
  };
}

/** What the inventory holds: the API settings and the owned objects of each kind. */
export interface InventoryContent {
  readonly api: ApiSettings;
  readonly owned: Record<ObjectKind, unknown[]>;
}

/** The environment of a destroy-time provisioner: what `self` recorded. */
function destroyEnvironment(read: (path: string) => string): Record<string, string> {
  const environment: Record<string, string> = { [API_ENV]: read("api") };
  for (const kind of OBJECT_KINDS)
    environment[`${OWNED_ENV_PREFIX}${kind.toUpperCase()}`] = read(kind);
  return environment;
}

export interface Machinery {
  inventory: TerraformResource;
  generation: TerraformResource;
  deploy: TerraformResource;
}

export interface MachineryOptions {
  readonly cliPath: string;
  readonly content: () => InventoryContent;
  /** The generation's key: changes whenever the set of declared names does. */
  readonly generationKey: () => string;
  /** What replaces the deploy step: a fresh value on every apply, or a digest of the declarations. */
  readonly deployTrigger: () => Record<string, string>;
  /** The deploy step's environment (resolved values, secrets). */
  readonly deployEnvironment: () => Record<string, string>;
}

/**
 * How an engine's resource carries the machinery: the attribute that holds the inventory's text
 * (and that references read), the generation's copy of it, and the resource itself.
 */
interface Carrier {
  readonly attribute: "input" | "triggers";
  /** The generation's content: `terraform_data` refers to the inventory, `null_resource` repeats it. */
  readonly generationContent: (inventory: TerraformResource) => unknown;
  create(
    id: string,
    config: {
      /** What the resource holds; for `null_resource`, a change replaces it. */
      readonly holds?: unknown;
      /** What replaces the resource when it changes. */
      readonly replacedBy?: unknown;
      readonly forEach?: unknown;
      readonly lifecycle?: { readonly createBeforeDestroy?: boolean };
      readonly provisioners: LocalExecProvisioner[];
    },
  ): TerraformResource;
}

function carrier(engine: Engine, scope: Construct, framework: Framework): Carrier {
  const { TerraformData, NullResource } = resourceClasses(framework);
  if (engine === "null_resource") {
    return {
      attribute: "triggers",
      generationContent: () => undefined,
      create: (id, { holds, replacedBy, forEach, lifecycle, provisioners }) =>
        new NullResource(scope, id, {
          triggers: (holds ?? replacedBy) as Record<string, string>,
          forEach: forEach as never,
          lifecycle,
          provisioners,
        }),
    };
  }
  return {
    attribute: "input",
    generationContent: (inventory) => `\${${address(inventory)}.input}`,
    create: (id, { holds, replacedBy, forEach, lifecycle, provisioners }) =>
      new TerraformData(scope, id, {
        input: holds,
        triggersReplace: replacedBy,
        forEach: forEach as never,
        lifecycle,
        provisioners,
      }),
  };
}

/**
 * The inventory's content as one JSON text per part, which both engines keep (`null_resource`
 * keeps only strings; as text, `terraform_data` stores it in a fraction of the state an object
 * takes). The owned entries' claims are references written as "${...}": Terraform interpolates
 * each (a timestamp, with no character JSON would need to escape) into the JSON text. A change
 * replaces the inventory, and create_before_destroy means its destroy-time provisioner then does
 * not run (it runs only when the stack is destroyed).
 */
function inventoryText(options: MachineryOptions): Record<string, string> {
  const { api, owned } = options.content();
  const text: Record<string, string> = { api: escapePrependInJson(JSON.stringify(api)) };
  for (const kind of OBJECT_KINDS) text[kind] = escapePrependInJson(JSON.stringify(owned[kind]));
  return text;
}

export function createMachinery(
  engine: Engine,
  scope: Construct,
  framework: Framework,
  options: MachineryOptions,
): Machinery {
  const { cliPath } = options;
  const { Lazy, TerraformIterator } = framework.core;
  const on = carrier(engine, scope, framework);
  // Tokens stand for the values they produce at synth; the resources take them as such.
  const lazy = <T = unknown>(produce: () => unknown) => Lazy.anyValue({ produce }) as unknown as T;
  const fromSelf = (path: string) => `\${self.${on.attribute}.${path}}`;
  const inventory = named(
    on.create(MACHINERY.inventory, {
      holds: lazy(() => inventoryText(options)),
      lifecycle: { createBeforeDestroy: true },
      provisioners: [provisioner("delete-all", cliPath, destroyEnvironment(fromSelf), "destroy")],
    }),
    "inventory",
  );
  const generation = named(
    on.create(MACHINERY.generation, {
      forEach: TerraformIterator.fromMap(
        lazy<Record<string, unknown>>(() => ({ [options.generationKey()]: "declared" })),
      ),
      holds: on.generationContent(inventory) ?? lazy(() => inventoryText(options)),
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        provisioner("delete-removed", cliPath, destroyEnvironment(fromSelf), "destroy"),
      ],
    }),
    "generation",
  );
  // The deploy step reads the API settings and the owned objects' claims from the inventory.
  const fromInventory = (path: string) => `\${${address(inventory)}.${on.attribute}.${path}}`;
  const deploy = named(
    on.create(MACHINERY.deploy, {
      replacedBy: lazy(options.deployTrigger),
      provisioners: [
        provisioner(
          "deploy",
          cliPath,
          lazy<Record<string, unknown>>(() => ({
            ...destroyEnvironment(fromInventory),
            ...options.deployEnvironment(),
          })),
        ),
      ],
    }),
    "deploy",
  );
  deploy.dependsOn = [address(generation)];
  return { inventory, generation, deploy };
}

/**
 * Terraform hides the output of a provisioner whose environment holds a sensitive value (the
 * deploy step's, once it carries secrets from Terraform). A second provisioner of the deploy step,
 * which carries none, then prints what the deploy step wrote to its report; a failing deploy
 * step's output is printed by Terraform in its error.
 */
export function addReportStep(machinery: Machinery, cliPath: string): void {
  const deploy = machinery.deploy;
  deploy.provisioners = [
    ...(deploy.provisioners ?? []),
    provisioner("report", cliPath, { [REPORT_ENV]: REPORT_FILE }),
  ];
}

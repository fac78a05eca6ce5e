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

function terraformDataMachinery(
  scope: Construct,
  framework: Framework,
  options: MachineryOptions,
): Machinery {
  const { cliPath } = options;
  const { Lazy, TerraformIterator } = framework.core;
  const { TerraformData } = resourceClasses(framework);
  const inventory = named(
    new TerraformData(scope, MACHINERY.inventory, {
      input: Lazy.anyValue({ produce: () => inventoryText(options) }) as unknown as Record<
        string,
        unknown
      >,
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        provisioner(
          "delete-all",
          cliPath,
          destroyEnvironment((path) => `\${self.input.${path}}`),
          "destroy",
        ),
      ],
    }),
    "inventory",
  );
  const generation = named(
    new TerraformData(scope, MACHINERY.generation, {
      forEach: TerraformIterator.fromMap(
        Lazy.anyValue({
          produce: () => ({ [options.generationKey()]: "declared" }),
        }) as unknown as Record<string, unknown>,
      ),
      input: `\${${address(inventory)}.input}` as unknown as Record<string, unknown>,
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        provisioner(
          "delete-removed",
          cliPath,
          destroyEnvironment((path) => `\${self.input.${path}}`),
          "destroy",
        ),
      ],
    }),
    "generation",
  );
  const deploy = named(
    new TerraformData(scope, MACHINERY.deploy, {
      triggersReplace: Lazy.anyValue({ produce: options.deployTrigger }) as unknown as Record<
        string,
        unknown
      >,
      provisioners: [
        provisioner(
          "deploy",
          cliPath,
          Lazy.anyValue({
            produce: () => deployEnvironment(inventory, options),
          }) as unknown as Record<string, unknown>,
        ),
      ],
    }),
    "deploy",
  );
  deploy.dependsOn = [address(generation)];
  return { inventory, generation, deploy };
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

/** The deploy step reads the API settings and the owned objects' claims from the inventory. */
function deployEnvironment(
  inventory: TerraformResource,
  options: MachineryOptions,
  read = (path: string) => `\${${address(inventory)}.input.${path}}`,
): Record<string, string> {
  return { ...destroyEnvironment(read), ...options.deployEnvironment() };
}

function nullResourceMachinery(
  scope: Construct,
  framework: Framework,
  options: MachineryOptions,
): Machinery {
  const { cliPath } = options;
  const { Lazy, TerraformIterator } = framework.core;
  const { NullResource } = resourceClasses(framework);
  const inventory = named(
    new NullResource(scope, MACHINERY.inventory, {
      triggers: Lazy.anyValue({ produce: () => inventoryText(options) }) as unknown as Record<
        string,
        string
      >,
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        provisioner(
          "delete-all",
          cliPath,
          destroyEnvironment((path) => `\${self.triggers.${path}}`),
          "destroy",
        ),
      ],
    }),
    "inventory",
  );
  const generation = named(
    new NullResource(scope, MACHINERY.generation, {
      forEach: TerraformIterator.fromMap(
        Lazy.anyValue({
          produce: () => ({ [options.generationKey()]: "declared" }),
        }) as unknown as Record<string, unknown>,
      ),
      triggers: Lazy.anyValue({ produce: () => inventoryText(options) }) as unknown as Record<
        string,
        string
      >,
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        provisioner(
          "delete-removed",
          cliPath,
          destroyEnvironment((path) => `\${self.triggers.${path}}`),
          "destroy",
        ),
      ],
    }),
    "generation",
  );
  const deploy = named(
    new NullResource(scope, MACHINERY.deploy, {
      triggers: Lazy.anyValue({ produce: options.deployTrigger }) as unknown as Record<
        string,
        string
      >,
      provisioners: [
        provisioner(
          "deploy",
          cliPath,
          Lazy.anyValue({
            produce: () =>
              deployEnvironment(
                inventory,
                options,
                (path) => `\${${address(inventory)}.triggers.${path}}`,
              ),
          }) as unknown as Record<string, unknown>,
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

export function createMachinery(
  engine: Engine,
  scope: Construct,
  framework: Framework,
  options: MachineryOptions,
): Machinery {
  return engine === "null_resource"
    ? nullResourceMachinery(scope, framework, options)
    : terraformDataMachinery(scope, framework, options);
}

/**
 * What one stack holds for all its Polytomic objects: the settings, the CLI asset, the per-kind
 * lifecycle resources, and the registry of owned object names (unique per kind).
 */
import type { ApiSettings, ObjectKind } from "../core/contract";
import { encodeSpec } from "../core/canonical-json";
import type { DeleteSpec } from "../core/contract";
import { OBJECT_KINDS, SCHEMA_VERSION } from "../core/contract";
import { IssueCollector, PolytomicValidationError } from "../core/errors";
import { lifecycleKey } from "../core/lifecycle-key";
import type { IConstruct, TerraformResource } from "./cdktf";
import {
  AssetType,
  Construct,
  NullProvider,
  TerraformAsset,
  TerraformStack,
  ValidateTerraformVersion,
} from "./cdktf";
import { cliBundlePath } from "./cli-bundle";
import type { AppliedObject, EngineResources } from "./engine";
import { engineResources } from "./engine";
import type { Engine, PolytomicSettingsProps } from "./settings";
import { resolveSettings } from "./settings";

const ID = "Polytomic";

/** Lifecycle resource names as they appear in plans: `terraform_data.polytomic_syncs["..."]`. */
const LIFECYCLE_IDS: Record<ObjectKind, string> = {
  connection: "polytomic_connections",
  model: "polytomic_models",
  sync: "polytomic_syncs",
};

interface Owned {
  readonly construct: IConstruct;
  readonly deleteSpec: string;
}

export class PolytomicStackResources extends Construct {
  /** The stack's instance, created with default settings on first use. */
  static of(scope: IConstruct): PolytomicStackResources {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof PolytomicStackResources
      ? existing
      : new PolytomicStackResources(stack, {});
  }

  /** Applies settings to `scope`'s stack; allowed once, before its first Polytomic construct. */
  static configure(scope: IConstruct, props: PolytomicSettingsProps): PolytomicStackResources {
    const stack = TerraformStack.of(scope);
    if (stack.node.tryFindChild(ID)) {
      throw new Error(
        `PolytomicSettings.configure: stack ${JSON.stringify(stack.node.path)} already has Polytomic settings. ` +
          "Configure a stack once, before creating its first Polytomic construct.",
      );
    }
    return new PolytomicStackResources(stack, props);
  }

  readonly api: ApiSettings;
  readonly engine: Engine;
  /** Stack-relative path of the CLI bundle, which is where provisioners run. */
  readonly cliPath: string;
  private readonly resources: EngineResources;
  private readonly owned: Record<ObjectKind, Map<string, Owned>> = {
    connection: new Map(),
    model: new Map(),
    sync: new Map(),
  };
  private readonly imported: Record<ObjectKind, Map<string, IConstruct>> = {
    connection: new Map(),
    model: new Map(),
    sync: new Map(),
  };
  private readonly lifecycles: Record<ObjectKind, TerraformResource>;
  private readonly applied = new Map<IConstruct, AppliedObject>();

  private constructor(stack: TerraformStack, props: PolytomicSettingsProps) {
    super(stack, ID);
    const issues = new IssueCollector();
    const settings = resolveSettings(props, issues);
    issues.throwIfAny(`PolytomicSettings for stack ${JSON.stringify(stack.node.path)}`);
    this.api = settings.api;
    this.engine = settings.engine;
    this.node.addValidation({ validate: () => this.namesOwnedElsewhere() });
    this.cliPath = new TerraformAsset(this, "Cli", {
      path: cliBundlePath(),
      type: AssetType.FILE,
    }).path;
    if (this.engine === "null_resource") this.addNullProvider(stack);
    // Once per stack (cdktf's DataResource checks once per resource): plantimestamp() needs 1.5.
    this.node.addValidation(
      new ValidateTerraformVersion(
        ">=1.5",
        "cdktf-polytomic needs Terraform 1.5 or newer (or OpenTofu 1.6 or newer): upgrade Terraform.",
      ),
    );
    this.resources = engineResources(this.engine, this.cliPath);

    const lifecycle = (kind: ObjectKind, dependsOn: TerraformResource[]): TerraformResource => {
      const resource = this.resources.lifecycle(
        this,
        LIFECYCLE_IDS[kind],
        () => this.lifecycleEntries(kind),
        dependsOn,
      );
      resource.overrideLogicalId(LIFECYCLE_IDS[kind]);
      return resource;
    };
    const connections = lifecycle("connection", []);
    const models = lifecycle("model", [connections]);
    this.lifecycles = { connection: connections, model: models, sync: lifecycle("sync", [models]) };
    this.resources
      .reconcile(this, "polytomic_reconcile", () => [...this.applied.values()])
      .overrideLogicalId("polytomic_reconcile");
  }

  private addNullProvider(stack: TerraformStack): void {
    const isNullProvider = (construct: IConstruct): boolean => construct instanceof NullProvider;
    if (!stack.node.findAll().some(isNullProvider)) new NullProvider(this, "NullProvider");
    this.node.addValidation({
      validate: () =>
        stack.node.findAll().filter(isNullProvider).length > 1
          ? [
              `Stack ${JSON.stringify(stack.node.path)} has more than one NullProvider: cdktf-polytomic added one for the null_resource engine. ` +
                "Create your own NullProvider before the first Polytomic construct (it is then reused), or remove it.",
            ]
          : [],
    });
  }

  /**
   * Names this stack owns that another stack of the app owns too, against the same API: both would
   * adopt one object, and the first to stop declaring it would delete it from under the other.
   */
  private namesOwnedElsewhere(): string[] {
    const sameApi = (other: PolytomicStackResources) =>
      other !== this &&
      other.api.url === this.api.url &&
      other.api.key_variable === this.api.key_variable;
    const others = this.node.root.node
      .findAll()
      .filter(
        (c): c is PolytomicStackResources => c instanceof PolytomicStackResources && sameApi(c),
      );
    const problems: string[] = [];
    for (const other of others) {
      for (const kind of OBJECT_KINDS) {
        for (const name of this.owned[kind].keys()) {
          if (!other.owned[kind].has(name)) continue;
          problems.push(
            `Stacks ${JSON.stringify(TerraformStack.of(this).node.path)} and ${JSON.stringify(TerraformStack.of(other).node.path)} both declare the ${kind} ${JSON.stringify(name)} for the same Polytomic API: ` +
              "a name identifies one object, so both stacks would manage it and the first to drop it would delete it for the other. Declare it in one stack and refer to it by name from the other (fromConnectionName), or give each its own name.",
          );
        }
      }
    }
    return problems;
  }

  private lifecycleEntries(kind: ObjectKind): Record<string, { spec: string }> {
    const entries: Record<string, { spec: string }> = {};
    for (const [name, owned] of this.owned[kind])
      entries[lifecycleKey(name)] = { spec: owned.deleteSpec };
    return entries;
  }

  lifecycle(kind: ObjectKind): TerraformResource {
    return this.lifecycles[kind];
  }

  private conflict(kind: ObjectKind, name: string): IConstruct | undefined {
    return this.owned[kind].get(name)?.construct ?? this.imported[kind].get(name);
  }

  private checkNameFree(kind: ObjectKind, name: string, subject: () => string): void {
    const other = this.conflict(kind, name);
    if (!other) return;
    throw new PolytomicValidationError(subject(), [
      {
        property: "name",
        received: name,
        problem: `is already used by ${JSON.stringify(other.node.path)}; a name identifies one ${kind} in a stack`,
        fix: `Give each ${kind} its own name.`,
      },
    ]);
  }

  /** Records an object the stack owns; it is deleted when it leaves the code. */
  registerOwned(
    kind: ObjectKind,
    name: string,
    construct: IConstruct,
    subject: () => string,
  ): void {
    this.checkNameFree(kind, name, subject);
    const deleteSpec: DeleteSpec = { schema_version: SCHEMA_VERSION, kind, name, api: this.api };
    this.owned[kind].set(name, { construct, deleteSpec: encodeSpec(deleteSpec) });
  }

  /** Records an object the stack only refers to; it is never modified or deleted. */
  registerImported(
    kind: ObjectKind,
    name: string,
    construct: IConstruct,
    subject: () => string,
  ): void {
    this.checkNameFree(kind, name, subject);
    this.imported[kind].set(name, construct);
  }

  /** Creates an object's apply resource and the receipt Terraform records once it succeeded. */
  createApply(
    scope: Construct,
    encodedSpec: string,
    digest: string,
    dependsOn: readonly TerraformResource[],
  ): TerraformResource {
    const apply = this.resources.apply(scope, "Apply", encodedSpec, digest, dependsOn);
    this.applied.set(scope, { apply, receipt: this.resources.receipt(scope, "Receipt", apply) });
    return apply;
  }

  /** The apply resource of an owned object of this stack, if it is one. */
  applyOf(construct: IConstruct): TerraformResource | undefined {
    return this.applied.get(construct)?.apply;
  }
}

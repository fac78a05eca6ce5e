/**
 * What one stack holds for all its Polytomic objects: the settings, the CLI asset, the registry of
 * owned and referenced objects (names unique per kind), their declarations (the stack file, written
 * at synth), each object's `terraform_data`, and the stack machinery (engine.ts).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { resourceName } from "../core/addresses";
import type { ApiSettings, ObjectKind, OwnedEntry, ReconcileMode } from "../core/contract";
import {
  ADOPTED,
  MAX_ENV_STRING_BYTES,
  OBJECT_KINDS,
  REPORT_ENV,
  REPORT_FILE,
  SECRETS_ENV,
  STACK_FILE,
  STACK_FILE_FORMAT,
  VALUES_ENV,
} from "../core/contract";
import type { Declaration, Reference } from "../core/declarations";
import { hasPlaceholders } from "../core/declarations";
import { IssueCollector, PolytomicValidationError } from "../core/errors";
import type { StackFile, StackFileObject } from "../core/stack-file";
import { configurationJson, escapeTemplateMarkers } from "../core/template-escape";
import type { IConstruct } from "constructs";
import { Construct } from "constructs";
import { cliBundlePath } from "./cli-bundle";
import type { Machinery } from "./engine";
import { address, addReportStep, createMachinery } from "./engine";
import type {
  Framework,
  ISynthesisSession,
  ITerraformDependable,
  TerraformResource,
  TerraformStack,
} from "./framework";
import { frameworkOf } from "./framework";
import type { ResourceClasses } from "./resources";
import { isNullProvider, resourceClasses } from "./resources";
import type { Engine, PolytomicSettingsProps } from "./settings";
import { resolveSettings } from "./settings";
import type { TerraformValues } from "./tokens";
import { valuesOf } from "./tokens";

const ID = "Polytomic";

interface Owned {
  readonly construct: IConstruct;
  readonly typeName: string;
  readonly declaration: Declaration;
  readonly resource: TerraformResource;
}

export interface OwnedObjectOptions {
  readonly construct: IConstruct;
  readonly typeName: string;
  /** The declaration with placeholders for Terraform values. */
  readonly declaration: Declaration;
  readonly subject: () => string;
  readonly dependsOn?: readonly ITerraformDependable[];
}

function digest(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export class PolytomicStackResources extends Construct {
  /** The stack's instance, created with default settings on first use. */
  static of(scope: IConstruct, what?: string): PolytomicStackResources {
    const { stack } = frameworkOf(scope, what);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof PolytomicStackResources
      ? existing
      : new PolytomicStackResources(stack, {}, false);
  }

  /** Applies settings to `scope`'s stack; allowed once, before its first Polytomic construct. */
  static configure(scope: IConstruct, props: PolytomicSettingsProps): PolytomicStackResources {
    const { stack } = frameworkOf(scope, "PolytomicSettings.configure: scope");
    const existing = stack.node.tryFindChild(ID);
    if (existing instanceof PolytomicStackResources) {
      throw new Error(
        existing.configured
          ? `PolytomicSettings.configure: stack ${JSON.stringify(stack.node.path)} is already configured; call it once per stack.`
          : `PolytomicSettings.configure: stack ${JSON.stringify(stack.node.path)} already has Polytomic constructs, which were created with the default settings. ` +
              "Call PolytomicSettings.configure(stack, {...}) before creating the stack's first Polytomic construct.",
      );
    }
    return new PolytomicStackResources(stack, props, true);
  }

  /** The stack's framework, whose classes create every resource of the library in it. */
  readonly framework: Framework;
  readonly classes: ResourceClasses;
  readonly api: ApiSettings;
  readonly engine: Engine;
  readonly adoptExisting: boolean;
  readonly reconcile: ReconcileMode;
  /** Stack-relative path of the CLI bundle, which is where provisioners run. */
  readonly cliPath: string;
  readonly values: TerraformValues;
  private readonly owned: Record<ObjectKind, Map<string, Owned>> = {
    connection: new Map(),
    model: new Map(),
    sync: new Map(),
  };
  private readonly references: Record<ObjectKind, Map<string, Reference>> = {
    connection: new Map(),
    model: new Map(),
    sync: new Map(),
  };
  private readonly machinery: Machinery;

  private constructor(
    readonly stack: TerraformStack,
    props: PolytomicSettingsProps,
    private readonly configured: boolean,
  ) {
    super(stack, ID);
    const issues = new IssueCollector();
    const settings = resolveSettings(props, issues);
    issues.throwIfAny(`PolytomicSettings for stack ${JSON.stringify(stack.node.path)}`);
    this.api = settings.api;
    this.engine = settings.engine;
    this.adoptExisting = settings.adoptExisting;
    this.reconcile = settings.reconcile;
    this.framework = frameworkOf(stack).framework;
    this.classes = resourceClasses(this.framework);
    const { AssetType, TerraformAsset } = this.framework.core;
    this.values = valuesOf(stack);
    this.cliPath = new TerraformAsset(this, "Cli", {
      path: cliBundlePath(),
      type: AssetType.FILE,
    }).path;
    if (this.engine === "null_resource") this.addNullProvider(stack);
    this.node.addValidation(
      new this.framework.ValidateTerraformVersion(
        ">=1.5",
        "cdktf-polytomic needs Terraform 1.5 or newer (or OpenTofu 1.6 or newer): upgrade Terraform.",
      ),
    );
    this.node.addValidation({ validate: () => this.namesOwnedElsewhere() });
    this.node.addValidation({ validate: () => this.addressCollisions() });
    this.node.addValidation({ validate: () => this.environmentSizes() });
    this.machinery = createMachinery(this.engine, this, this.framework, {
      cliPath: this.cliPath,
      content: () => ({ api: this.api, owned: this.ownedEntries() }),
      generationKey: () => this.generationKey(),
      deployTrigger: () => this.deployTrigger(),
      deployEnvironment: () => this.deployEnvironment(),
    });
    this.framework.addCustomSynthesis(this, {
      onSynthesize: (session) => this.writeStackFile(session),
    });
  }

  /** Registers a `Secret.fromTerraform` token; returns its index. */
  rememberSecret(token: unknown): number {
    if (this.values.secrets.length === 0) addReportStep(this.machinery, this.cliPath);
    return this.values.rememberSecret(token);
  }

  private addNullProvider(stack: TerraformStack): void {
    if (!stack.node.findAll().some(isNullProvider))
      new this.classes.NullProvider(this, "NullProvider");
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

  // -- registry ---------------------------------------------------------------------------------

  private conflict(kind: ObjectKind, name: string): IConstruct | string | undefined {
    return this.owned[kind].get(name)?.construct ?? this.references[kind].get(name)?.path;
  }

  private checkNameFree(kind: ObjectKind, name: string, subject: () => string): void {
    const other = this.conflict(kind, name);
    if (other === undefined) return;
    const path = typeof other === "string" ? other : other.node.path;
    throw new PolytomicValidationError(subject(), [
      {
        property: "name",
        received: name,
        problem: `is already used by ${JSON.stringify(path)}; a name identifies one ${kind} in a stack`,
        fix: `Give each ${kind} its own name.`,
      },
    ]);
  }

  /**
   * Records an object the stack owns and creates its `terraform_data`, whose input is the readable
   * declaration and whose `triggers_replace` keeps the plan time of its first deploy. The input is
   * JSON text, which Terraform plans show field by field (`jsonencode({...})`) and stores in a
   * quarter of the space of an object; a declaration that uses Terraform values stays an object,
   * so that each value shows as Terraform resolves it (known, or `(known after apply)`).
   */
  registerOwned(options: OwnedObjectOptions): TerraformResource {
    const { construct, declaration } = options;
    const kind = declaration.kind;
    this.checkNameFree(kind, declaration.name, options.subject);
    // The address already says the kind; the plan shows the rest.
    const { kind: _kind, ...shown } = declaration;
    // An object first declared with adoptExisting belongs to the stack for good (ownership.ts).
    const claim = this.adopts(declaration) ? ADOPTED : "${plantimestamp()}";
    const resource = new this.classes.TerraformData(construct as Construct, "Declaration", {
      input: hasPlaceholders(shown) ? this.values.display(shown) : configurationJson(shown),
      triggersReplace: claim,
      lifecycle: { ignoreChanges: ["triggers_replace"] },
      ...(options.dependsOn?.length ? { dependsOn: [...options.dependsOn] } : {}),
    });
    resource.overrideLogicalId(resourceName(kind, declaration.name));
    this.owned[kind].set(declaration.name, {
      construct,
      typeName: options.typeName,
      declaration,
      resource,
    });
    return resource;
  }

  /** Records an object the stack only refers to; it is never modified or deleted. */
  registerReference(reference: Reference, subject: () => string): void {
    this.checkNameFree(reference.kind, reference.name, subject);
    this.references[reference.kind].set(reference.name, reference);
  }

  /** Records an object of another stack of the app that this stack's objects use. */
  useFromOtherStack(reference: Reference): void {
    if (!this.references[reference.kind].has(reference.name))
      this.references[reference.kind].set(reference.name, reference);
  }

  /** What an object of this stack must wait for to use `construct` (an owned object here). */
  resourceOf(construct: IConstruct): TerraformResource | undefined {
    for (const kind of OBJECT_KINDS) {
      for (const owned of this.owned[kind].values())
        if (owned.construct === construct) return owned.resource;
    }
    return undefined;
  }

  // -- machinery inputs -------------------------------------------------------------------------

  private ownedEntries(): Record<ObjectKind, OwnedEntry[]> {
    const entries = {} as Record<ObjectKind, OwnedEntry[]>;
    for (const kind of OBJECT_KINDS) {
      entries[kind] = [...this.owned[kind].values()].map(({ declaration, resource }) => {
        const claim = `\${${address(resource)}.triggers_replace}`;
        // Carried in the inventory's JSON text, whose Prepend characters engine.ts escapes.
        const name = escapeTemplateMarkers(declaration.name);
        return this.adopts(declaration) ? [name, claim, "adopt"] : [name, claim];
      });
    }
    return entries;
  }

  private adopts(declaration: Declaration): boolean {
    return declaration.adoptExisting ?? this.adoptExisting;
  }

  /** Changes whenever the set of declared names does: a new generation then replaces the old. */
  private generationKey(): string {
    const names = OBJECT_KINDS.flatMap((kind) =>
      [...this.owned[kind].keys()].sort().map((name) => `${kind}\0${name}`),
    );
    return digest(names.join("\n")).slice(0, 20);
  }

  /**
   * `always`: a fresh value on every plan (uuid(), unknown until apply, so the step is always
   * replaced; plantimestamp() would not do: two plans within one second share it). `on-change`: the
   * digest of the declarations and of the Terraform values they use.
   */
  private deployTrigger(): Record<string, string> {
    if (this.reconcile === "always") return { run: "${uuid()}" };
    return {
      declarations: digest(this.stackFile()),
      ...(this.values.values.length > 0
        ? {
            values: this.framework.core.Fn.sha256(
              this.framework.core.Fn.jsonencode(this.values.values),
            ),
          }
        : {}),
    };
  }

  private deployEnvironment(): Record<string, string> {
    const { Fn } = this.framework.core;
    const environment: Record<string, string> = {};
    if (this.values.values.length > 0) environment[VALUES_ENV] = Fn.jsonencode(this.values.values);
    if (this.values.secrets.length > 0) {
      environment[SECRETS_ENV] = Fn.jsonencode(this.values.secrets);
      environment[REPORT_ENV] = REPORT_FILE;
    }
    return environment;
  }

  // -- stack file -------------------------------------------------------------------------------

  private objectsOfFile(): StackFileObject[] {
    return OBJECT_KINDS.flatMap((kind) =>
      [...this.owned[kind].values()].map(({ construct, typeName, declaration, resource }) => ({
        address: address(resource),
        construct: typeName,
        path: construct.node.path,
        declaration: this.withSecretExpressions(declaration),
      })),
    );
  }

  /** Secret references carry the Terraform expression they come from, for messages. */
  private withSecretExpressions(declaration: Declaration): Declaration {
    const entries = Object.entries(declaration).map(([key, value]) => {
      const source = value as { terraform?: unknown } | undefined;
      if (typeof source?.terraform !== "number") return [key, value];
      return [
        key,
        { ...source, expression: this.values.expressionOf(this.values.secrets[source.terraform]) },
      ];
    });
    return Object.fromEntries(entries) as Declaration;
  }

  /** Names of objects declared by other stacks of the app for the same API. */
  private appNames(): Record<ObjectKind, string[]> {
    const names: Record<ObjectKind, string[]> = { connection: [], model: [], sync: [] };
    for (const other of this.otherStacksOfSameApi()) {
      for (const kind of OBJECT_KINDS) names[kind].push(...other.owned[kind].keys());
    }
    return names;
  }

  private stackFile(): string {
    const file: StackFile = {
      format: STACK_FILE_FORMAT,
      stack: this.stack.node.path,
      api: this.api,
      reconcile: this.reconcile,
      adoptExisting: this.adoptExisting,
      objects: this.objectsOfFile(),
      references: OBJECT_KINDS.flatMap((kind) => [...this.references[kind].values()]),
      app: this.appNames(),
    };
    return `${JSON.stringify(file, null, 1)}\n`;
  }

  private writeStackFile(session: ISynthesisSession): void {
    const manifest = session.manifest.forStack(this.stack);
    const path = join(session.outdir, dirname(manifest.synthesizedStackPath), STACK_FILE);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, this.stackFile());
  }

  // -- validations ------------------------------------------------------------------------------

  private otherStacksOfSameApi(): PolytomicStackResources[] {
    return this.node.root.node
      .findAll()
      .filter(
        (c): c is PolytomicStackResources =>
          c instanceof PolytomicStackResources &&
          c !== this &&
          c.api.url === this.api.url &&
          c.api.key_variable === this.api.key_variable,
      );
  }

  /**
   * Names this stack owns that another stack of the app owns too, against the same API: both would
   * manage one object, and the first to drop it would delete it from under the other.
   */
  private namesOwnedElsewhere(): string[] {
    const problems: string[] = [];
    for (const other of this.otherStacksOfSameApi()) {
      for (const kind of OBJECT_KINDS) {
        for (const name of this.owned[kind].keys()) {
          if (!other.owned[kind].has(name)) continue;
          problems.push(
            `Stacks ${JSON.stringify(this.stack.node.path)} and ${JSON.stringify(other.stack.node.path)} both declare the ${kind} ${JSON.stringify(name)} for the same Polytomic API: ` +
              "a name identifies one object, so both stacks would manage it and the first to drop it would delete it for the other. Declare it in one stack and refer to it by name from the other (fromConnectionName), or give each its own name.",
          );
        }
      }
    }
    return problems;
  }

  /** Another resource of the stack with the address of one of ours would silently replace it. */
  private addressCollisions(): string[] {
    const ours = new Set<IConstruct>(
      OBJECT_KINDS.flatMap((kind) => [...this.owned[kind].values()].map((o) => o.resource)),
    );
    const claimed = new Map<string, IConstruct>();
    for (const resource of ours) claimed.set(address(resource as TerraformResource), resource);
    const problems: string[] = [];
    for (const construct of this.stack.node.findAll()) {
      const resource = construct as Partial<TerraformResource>;
      if (ours.has(construct) || typeof resource.terraformResourceType !== "string") continue;
      const at = `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
      if (claimed.has(at)) {
        problems.push(
          `${JSON.stringify(construct.node.path)} has the Terraform address ${at}, which cdktf-polytomic uses for a Polytomic object: give that resource another id.`,
        );
      }
    }
    return problems;
  }

  /** What Terraform passes to a provisioner must fit in one environment variable each. */
  private environmentSizes(): string[] {
    const problems: string[] = [];
    for (const kind of OBJECT_KINDS) {
      // Each claim reaches the deploy step as a timestamp (at most 30 characters), not as the
      // reference the configuration holds.
      const entries = this.ownedEntries()[kind].map(([name, , ...rest]) => [
        name,
        "0".repeat(30),
        ...rest,
      ]);
      const bytes = Buffer.byteLength(JSON.stringify(entries));
      if (bytes > MAX_ENV_STRING_BYTES * 0.9) {
        problems.push(
          `Stack ${JSON.stringify(this.stack.node.path)} declares ${this.owned[kind].size} ${kind}(s) whose names take about ${bytes} bytes, more than the one environment variable of at most ${MAX_ENV_STRING_BYTES} bytes that passes them to the deploy step holds: split them across stacks or shorten the names.`,
        );
      }
    }
    return problems;
  }

  /** The stack's machinery, for tests and for ordering. */
  get deployStep(): TerraformResource {
    return this.machinery.deploy;
  }
}

/**
 * The Terraform resources the library writes, made from the classes of a stack's own framework
 * (framework.ts): Terraform's built-in `terraform_data`, and `null_resource` with its provider for
 * the null_resource engine, written as @cdktf/provider-null 11.0.1 writes them (hashicorp/null
 * 3.2.4, `~> 3.0`) so that no prebuilt provider package, which exists for one framework only, is
 * needed.
 *
 * `terraform_data` is written by hand after cdktf's DataResource with one difference:
 * DataResource registers a validation per instance that runs `terraform version`, so a stack of
 * 1000 syncs spent about 50 s of its synth spawning Terraform (measured). The stack checks the
 * version once instead (see stack-resources.ts).
 */
import type { Construct } from "constructs";
import type {
  Framework,
  ITerraformDependable,
  LocalExecProvisioner,
  TerraformIterator,
  TerraformProvider,
  TerraformResource,
} from "./framework";

/** What both resources take besides their attributes. */
interface ResourceOptions {
  readonly dependsOn?: ITerraformDependable[];
  readonly forEach?: TerraformIterator;
  readonly lifecycle?: {
    readonly createBeforeDestroy?: boolean;
    readonly ignoreChanges?: string[];
  };
  readonly provisioners?: LocalExecProvisioner[];
}

export interface TerraformDataConfig extends ResourceOptions {
  /** Stored in state and reflected in `output`; changing it updates in place. */
  readonly input?: unknown;
  /** Stored in state; changing it replaces the resource (and so re-runs its provisioners). */
  readonly triggersReplace?: unknown;
}

export interface NullResourceConfig extends ResourceOptions {
  /** Strings stored in state; changing one replaces the resource. */
  readonly triggers?: Record<string, string>;
}

type ResourceClass<C> = new (scope: Construct, id: string, config: C) => TerraformResource;

export interface ResourceClasses {
  readonly TerraformData: ResourceClass<TerraformDataConfig>;
  readonly NullResource: ResourceClass<NullResourceConfig>;
  readonly NullProvider: new (scope: Construct, id: string) => TerraformProvider;
}

const NULL_PROVIDER = {
  providerName: "null",
  providerVersion: "3.2.4",
  providerVersionConstraint: "~> 3.0",
};

const byFramework = new WeakMap<Framework, ResourceClasses>();

export function resourceClasses(framework: Framework): ResourceClasses {
  const known = byFramework.get(framework);
  if (known) return known;
  const core = framework.core;
  const { TerraformResource, TerraformProvider } = core;

  /** The framework's options of a resource of `type`, from `config`. */
  const options = (type: string, metadata: { providerName: string }, config: ResourceOptions) => ({
    terraformResourceType: type,
    terraformGeneratorMetadata: metadata,
    dependsOn: config.dependsOn as never,
    forEach: config.forEach,
    lifecycle: config.lifecycle,
    provisioners: config.provisioners,
  });

  class TerraformData extends TerraformResource {
    constructor(
      scope: Construct,
      id: string,
      private readonly config: TerraformDataConfig,
    ) {
      super(scope, id, options("terraform_data", { providerName: "terraform" }, config));
    }

    protected synthesizeAttributes(): Record<string, unknown> {
      return {
        input: core.anyToTerraform(this.config.input),
        triggers_replace: core.anyToTerraform(this.config.triggersReplace),
      };
    }

    protected synthesizeHclAttributes(): Record<string, unknown> {
      return {
        input: core.anyToHclTerraform(this.config.input),
        triggers_replace: core.anyToHclTerraform(this.config.triggersReplace),
      };
    }
  }

  class NullResource extends TerraformResource {
    constructor(
      scope: Construct,
      id: string,
      private readonly config: NullResourceConfig,
    ) {
      super(scope, id, options("null_resource", NULL_PROVIDER, config));
    }

    protected synthesizeAttributes(): Record<string, unknown> {
      return { triggers: core.hashMapper(core.stringToTerraform)(this.config.triggers) };
    }

    protected synthesizeHclAttributes(): Record<string, unknown> {
      const triggers = core.hashMapperHcl(core.stringToHclTerraform)(this.config.triggers);
      if (triggers === undefined) return {};
      return {
        triggers: { value: triggers, isBlock: false, type: "map", storageClassType: "stringMap" },
      };
    }
  }

  class NullProvider extends TerraformProvider {
    constructor(scope: Construct, id: string) {
      super(scope, id, {
        terraformResourceType: "null",
        terraformGeneratorMetadata: NULL_PROVIDER,
        terraformProviderSource: "null",
      });
    }

    protected synthesizeAttributes(): Record<string, unknown> {
      return { alias: undefined };
    }

    protected synthesizeHclAttributes(): Record<string, unknown> {
      return {};
    }
  }

  const classes: ResourceClasses = { TerraformData, NullResource, NullProvider };
  byFramework.set(framework, classes);
  return classes;
}

/** Whether `construct` is a provider of hashicorp/null, whichever class declared it. */
export function isNullProvider(construct: unknown): boolean {
  const provider = construct as Partial<TerraformProvider> | undefined;
  return (
    provider?.terraformResourceType === "null" &&
    typeof provider.terraformProviderSource === "string" &&
    /^(registry\.terraform\.io\/)?(hashicorp\/)?null$/.test(provider.terraformProviderSource)
  );
}

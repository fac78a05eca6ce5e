/**
 * Terraform's built-in `terraform_data` resource, written by hand after cdktf's DataResource
 * (lib/terraform-data-resource.ts in cdktf) with one difference: DataResource registers a
 * validation per instance that runs `terraform version`, so a stack of 1000 syncs spent about
 * 50 s of its synth spawning Terraform (measured). The stack checks the version once instead
 * (see stack-resources.ts).
 */
import type {
  Construct,
  ITerraformDependable,
  LocalExecProvisioner,
  TerraformIterator,
} from "./cdktf";
import { anyToHclTerraform, anyToTerraform, TerraformResource } from "./cdktf";

export interface TerraformDataConfig {
  /** Stored in state and reflected in `output`; changing it updates in place. */
  readonly input?: unknown;
  /** Stored in state; changing it replaces the resource (and so re-runs its provisioners). */
  readonly triggersReplace?: unknown;
  readonly dependsOn?: ITerraformDependable[];
  readonly forEach?: TerraformIterator;
  readonly lifecycle?: {
    readonly createBeforeDestroy?: boolean;
    readonly ignoreChanges?: string[];
  };
  readonly provisioners?: LocalExecProvisioner[];
}

export class TerraformData extends TerraformResource {
  static readonly tfResourceType = "terraform_data";

  constructor(
    scope: Construct,
    id: string,
    private readonly config: TerraformDataConfig,
  ) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: "terraform" },
      dependsOn: config.dependsOn,
      forEach: config.forEach,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      input: anyToTerraform(this.config.input),
      triggers_replace: anyToTerraform(this.config.triggersReplace),
    };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return {
      input: anyToHclTerraform(this.config.input),
      triggers_replace: anyToHclTerraform(this.config.triggersReplace),
    };
  }
}

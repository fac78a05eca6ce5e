/**
 * The one module through which the constructs use cdktf, constructs and @cdktf/provider-null, so
 * that moving to CDK Terrain (`cdktn`) after cdktf's archival is an import rename in one file.
 * Three imports use paths inside the packages rather than their entry points (the version check,
 * and the null provider's modules, whose index loads every data source): check those paths when
 * renaming.
 */
export { Construct } from "constructs";
export type { IConstruct } from "constructs";
export {
  anyToHclTerraform,
  anyToTerraform,
  AssetType,
  Fn,
  hashMapper,
  hashMapperHcl,
  Lazy,
  TerraformAsset,
  TerraformIterator,
  TerraformResource,
  TerraformStack,
  Token,
} from "cdktf";
export type { ITerraformDependable, LocalExecProvisioner } from "cdktf";
// cdktf's own check (used by its DataResource): Terraform on PATH, at least the given version.
export { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
export { NullProvider } from "@cdktf/provider-null/lib/provider";
export { Resource as NullResource } from "@cdktf/provider-null/lib/resource";

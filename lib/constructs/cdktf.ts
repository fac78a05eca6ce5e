/**
 * The one module through which the constructs use cdktf, constructs and @cdktf/provider-null.
 * Three imports use paths inside the packages rather than their entry points (the version check,
 * the custom synthesis hook, and the null provider's modules, whose index loads every data source).
 */
export { Construct } from "constructs";
export type { IConstruct } from "constructs";
export {
  anyToHclTerraform,
  anyToTerraform,
  AssetType,
  DefaultTokenResolver,
  Fn,
  Lazy,
  StringConcat,
  TerraformAsset,
  TerraformIterator,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
} from "cdktf";
export type { IResolvable, ITerraformDependable, LocalExecProvisioner } from "cdktf";
// cdktf's own check (used by its DataResource): Terraform on PATH, at least the given version.
export { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
// How cdktf's own assets write files into the synthesized stack directory.
export { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
export type { ISynthesisSession } from "cdktf/lib/synthesize/types";
export { NullProvider } from "@cdktf/provider-null/lib/provider";
export { Resource as NullResource } from "@cdktf/provider-null/lib/resource";

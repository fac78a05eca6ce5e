/**
 * The one module through which the constructs use cdktf, constructs and @cdktf/provider-null, so
 * that moving to CDK Terrain (`cdktn`) after cdktf's archival is an import rename in one file.
 */
export { Construct } from "constructs";
export type { IConstruct } from "constructs";
export {
  AssetType,
  DataResource,
  Fn,
  Lazy,
  TerraformAsset,
  TerraformIterator,
  TerraformStack,
  Token,
} from "cdktf";
export type { ITerraformDependable, TerraformResource, LocalExecProvisioner } from "cdktf";
export { NullProvider } from "@cdktf/provider-null/lib/provider";
export { Resource as NullResource } from "@cdktf/provider-null/lib/resource";

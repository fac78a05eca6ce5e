export { Secret } from "./core/secret";
export type { IResolvableBoolean } from "./constructs/tokens";
export type { ITerraformDependable } from "./constructs/framework";
export { PolytomicValidationError } from "./core/errors";
export type { ValidationIssue } from "./core/errors";
export type { ConnectionType } from "./core/declarations";
export { PolytomicSettings } from "./constructs/polytomic-settings";
export type { Engine, PolytomicSettingsProps, ReconcileMode } from "./constructs/settings";
export type { IConnection } from "./constructs/connection";
export { SnowflakeConnection } from "./constructs/snowflake-connection";
export type { SnowflakeConnectionProps } from "./constructs/snowflake-connection";
export { SalesforceConnection } from "./constructs/salesforce-connection";
export type {
  SalesforceConnectionProps,
  SalesforceConnectMode,
} from "./constructs/salesforce-connection";
export { QueryModel } from "./constructs/query-model";
export type { IModel, ModelField, QueryModelProps } from "./constructs/query-model";
export { ModelSync } from "./constructs/model-sync";
export type {
  FieldSyncMode,
  FilterFunction,
  Frequency,
  IdentityFunction,
  IModelSync,
  ModelSyncProps,
  SyncFieldMapping,
  SyncFilter,
  SyncIdentity,
  SyncMode,
  SyncOverrideField,
  SyncSchedule,
  SyncTarget,
} from "./constructs/model-sync";

/** What models and syncs need from a connection, whether the stack owns it or only refers to it. */
import type { ConnectionDeclaration, ConnectionType } from "../core/declarations";
import { IssueCollector } from "../core/errors";
import { requireName } from "../core/validate/common";
import type { PropsSchema } from "../core/validate/props";
import type { IConstruct } from "constructs";
import { Construct } from "constructs";
import type { ITerraformDependable } from "./framework";
import { PolytomicObject } from "./object";
import { PolytomicStackResources } from "./stack-resources";
import { subjectOf } from "./subject";
import { valuesOf } from "./tokens";

/** A connection a model or sync uses: a connection construct, or a `fromConnectionName` import. */
export interface IConnection extends IConstruct {
  /** The connection's name in Polytomic, which identifies it. */
  readonly connectionName: string;
  /** Polytomic's connection type id. */
  readonly connectionType: ConnectionType;
}

/** A connection that exists in Polytomic and that the stack refers to by name, never changes or deletes. */
class ImportedConnection extends Construct implements IConnection {
  constructor(
    scope: Construct,
    id: string,
    readonly connectionName: string,
    readonly connectionType: ConnectionType,
    typeName: string,
  ) {
    super(scope, id);
    const subject = subjectOf(typeName, this);
    const issues = new IssueCollector();
    if (requireName(issues, valuesOf(this).defer(connectionName), "connection")) {
      PolytomicStackResources.of(this).registerReference(
        {
          kind: "connection",
          name: connectionName,
          type: connectionType,
          path: this.node.path,
          construct: typeName,
        },
        () => subject,
      );
    }
    issues.throwIfAny(subject);
  }
}

/** Implements the `fromConnectionName` importers of the connection constructs. */
export function importConnection(
  scope: Construct,
  id: string,
  name: string,
  type: ConnectionType,
  typeName: string,
): IConnection {
  return new ImportedConnection(scope, id, name, type, typeName);
}

/** A connection the stack owns: what the Snowflake and Salesforce constructs share. */
export abstract class OwnedConnection<
  P extends {
    readonly name: string;
    readonly adoptExisting?: boolean;
    readonly dependsOn?: ITerraformDependable[];
  },
>
  extends PolytomicObject
  implements IConnection
{
  readonly connectionName: string;

  /** @internal */
  protected constructor(
    scope: Construct,
    id: string,
    props: P,
    readonly connectionType: ConnectionType,
    typeName: string,
    schema: PropsSchema,
  ) {
    super(scope, id, typeName);
    const issues = new IssueCollector();
    this.checkShape(issues, schema, props);
    const declaration = this.toDeclaration(issues, props);
    this.connectionName = props.name;
    this.declare(issues, declaration, [], props.dependsOn);
  }

  /** @internal Builds and validates the declaration; issues go to `issues`. */
  protected abstract toDeclaration(issues: IssueCollector, props: P): ConnectionDeclaration;
}

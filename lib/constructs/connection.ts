/** What models and syncs need from a connection, whether the stack owns it or only refers to it. */
import type { ApiSettings, ConnectionSpec, ConnectionType } from "../core/contract";
import { IssueCollector } from "../core/errors";
import { requireText } from "../core/validate/common";
import type { IConstruct } from "./cdktf";
import { Construct } from "./cdktf";
import { PolytomicObject } from "./object";
import { subjectOf } from "./subject";
import { PolytomicStackResources } from "./stack-resources";
import { rejectTokens } from "./tokens";

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
    rejectTokens(issues, connectionName, "connectionName");
    requireText(
      issues,
      "connectionName",
      connectionName,
      "Pass the name of the existing connection as Polytomic shows it.",
    );
    issues.throwIfAny(subject);
    PolytomicStackResources.of(this).registerImported(
      "connection",
      connectionName,
      this,
      () => subject,
    );
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
export abstract class OwnedConnection<P extends { readonly name: string }>
  extends PolytomicObject
  implements IConnection
{
  readonly connectionName: string;

  protected constructor(
    scope: Construct,
    id: string,
    props: P,
    readonly connectionType: ConnectionType,
    typeName: string,
    buildSpec: (issues: IssueCollector, props: P, api: ApiSettings) => ConnectionSpec,
  ) {
    super(scope, id, "connection", typeName);
    const issues = new IssueCollector();
    this.checkProps(issues, props);
    const spec = buildSpec(issues, props, this.stackResources.api);
    this.connectionName = props.name;
    this.provision(issues, spec, []);
  }
}

/** What models and syncs need from a connection, whether the stack owns it or only refers to it. */
import type { ConnectionType } from "../core/contract";
import { IssueCollector } from "../core/errors";
import { requireText } from "../core/validate/common";
import type { IConstruct } from "./cdktf";
import { Construct } from "./cdktf";
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

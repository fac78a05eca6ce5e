import { IssueCollector, nearest, PolytomicValidationError } from "../core/errors";
import { buildModelSpec } from "../core/validate/model";
import type { Construct, IConstruct } from "./cdktf";
import type { IConnection } from "./connection";
import { PolytomicObject } from "./object";
import { subjectOf } from "./subject";

/** A column of a model, as a sync's source. Obtain one with `model.field(name)`. */
export interface ModelField {
  readonly model: IModel;
  /** The column's name as Polytomic reports it. */
  readonly name: string;
}

export interface IModel extends IConstruct {
  /** The model's name in Polytomic, which identifies it. */
  readonly modelName: string;
  /** The model's output columns. */
  readonly columns: readonly string[];
  /** A reference to one column; throws at once for a column the model does not have. */
  field(name: string): ModelField;
}

export interface QueryModelProps {
  /** The model's name in Polytomic; it identifies the model, so it is unique in the stack. */
  readonly name: string;
  /** The Snowflake connection the query runs on. */
  readonly connection: IConnection;
  /** One Snowflake SELECT statement. Its output columns are derived from the SELECT list. */
  readonly query: string;
  /**
   * The query's output columns, for queries whose SELECT list does not name them (e.g. `SELECT *`).
   * When set, these are the model's columns and the query is not parsed.
   * @default - derived from the query's SELECT list
   */
  readonly columns?: string[];
  /**
   * Column that uniquely identifies a row.
   * @default - none
   */
  readonly identifier?: string;
  /**
   * Columns whose changes Polytomic tracks.
   * @default - none
   */
  readonly trackingColumns?: string[];
}

/** A Polytomic model defined by a SQL query on a Snowflake connection. */
export class QueryModel extends PolytomicObject implements IModel {
  readonly modelName: string;
  readonly columns: readonly string[];

  constructor(scope: Construct, id: string, props: QueryModelProps) {
    super(scope, id, "model", "QueryModel");
    const issues = new IssueCollector();
    this.checkProps(issues, props, [
      { property: "connection", kind: "object", required: true },
      { property: "columns", kind: "list" },
      { property: "trackingColumns", kind: "list" },
    ]);
    const connection = props.connection;
    if (connection?.connectionType !== "snowflake") {
      issues.add({
        property: "connection",
        received: connection?.node?.path ?? connection,
        problem: "is not a Snowflake connection",
        fix: "Pass a SnowflakeConnection (or SnowflakeConnection.fromConnectionName(...)): query models run SQL on Snowflake.",
      });
    }
    const { spec, columns } = buildModelSpec(
      issues,
      { ...props, connectionName: connection?.connectionName },
      this.stackResources.api,
    );
    this.modelName = props.name;
    this.columns = columns;
    this.provision(
      issues,
      spec,
      connection ? [{ construct: connection, property: "connection" }] : [],
    );
  }

  field(name: string): ModelField {
    if (!this.columns.includes(name)) {
      const suggestion = nearest(name, this.columns);
      throw new PolytomicValidationError(subjectOf("QueryModel", this), [
        {
          property: `field(${JSON.stringify(name)})`,
          received: name,
          problem: `names no column of model ${JSON.stringify(this.modelName)}`,
          fix: `${suggestion ? `Did you mean ${JSON.stringify(suggestion)}? ` : ""}The model's columns are ${this.columns.map((column) => JSON.stringify(column)).join(", ")}.`,
        },
      ]);
    }
    return { model: this, name };
  }
}

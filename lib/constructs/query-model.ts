import type { ModelDeclaration } from "../core/declarations";
import { IssueCollector, nearest, PolytomicValidationError } from "../core/errors";
import { checkModel } from "../core/validate/model";
import { QUERY_MODEL_PROPS } from "../core/validate/props-schemas";
import type { Construct, IConstruct } from "constructs";
import type { ITerraformDependable } from "./framework";
import type { IConnection } from "./connection";
import { PolytomicObject } from "./object";
import { subjectOf } from "./subject";

/** A column of a model, as a sync's source. Obtain one with `model.field(name)`. */
export interface ModelField {
  /** The model the column belongs to. */
  readonly model: IModel;
  /** The column's name as Polytomic reports it. */
  readonly name: string;
}

/** A model a sync reads from: a QueryModel of this App. */
export interface IModel extends IConstruct {
  /** The model's name in Polytomic, which identifies it. */
  readonly modelName: string;
  /**
   * The model's output columns; undefined when they depend on Terraform values (then syncs are
   * checked against them at apply).
   */
  readonly columns: readonly string[] | undefined;
  /** A reference to one column; throws at once for a column the model does not have. */
  field(name: string): ModelField;
}

/** Props of {@link QueryModel}. */
export interface QueryModelProps {
  /** The model's name in Polytomic; it identifies the model, so it is unique in the stack. */
  readonly name: string;
  /** The Snowflake connection the query runs on. */
  readonly connection: IConnection;
  /**
   * One Snowflake SELECT statement. Its output columns are derived from the SELECT list. It may
   * contain Terraform values (a table or schema name, a literal): they are resolved at apply.
   */
  readonly query: string;
  /**
   * The query's output columns, for queries whose SELECT list does not name them (`SELECT *`) or
   * depends on Terraform values. The query is still checked to be one SELECT.
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
  /**
   * Let a deploy take over a model of this name that exists in Polytomic but was not created by
   * this stack. Without it, such a deploy fails naming the model.
   * @default - the stack's `PolytomicSettings` adoptExisting (false)
   */
  readonly adoptExisting?: boolean;
  /**
   * Terraform resources the model waits for (a table or view it reads).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A Polytomic model defined by a SQL query on a Snowflake connection.
 *
 * @example
 * const users = new QueryModel(stack, "ActiveUsers", {
 *   name: "Active Users",
 *   connection: snowflake,
 *   query: "SELECT first_name, last_name, email FROM users",
 * });
 * users.field("email"); // a source for a ModelSync
 */
export class QueryModel extends PolytomicObject implements IModel {
  /** The model's name in Polytomic, which identifies it. */
  readonly modelName: string;
  /**
   * The model's output columns, from the query's SELECT list or the declared `columns`; undefined
   * when they depend on Terraform values.
   */
  readonly columns: readonly string[] | undefined;

  constructor(scope: Construct, id: string, props: QueryModelProps) {
    super(scope, id, "QueryModel");
    const issues = new IssueCollector();
    this.checkShape(issues, QUERY_MODEL_PROPS, props);
    const connection = props.connection;
    if (connection.connectionType !== "snowflake") {
      issues.add({
        property: "connection",
        received: connection.node?.path ?? connection,
        problem: "is not a Snowflake connection",
        fix: "Pass a SnowflakeConnection (or SnowflakeConnection.fromConnectionName(...)): query models run SQL on Snowflake.",
      });
    }
    const declaration: ModelDeclaration = this.defer({
      kind: "model",
      name: props.name,
      connection: connection.connectionName,
      query: props.query,
      ...(props.columns === undefined ? {} : { columns: props.columns }),
      ...(props.identifier === undefined ? {} : { identifier: props.identifier }),
      ...(props.trackingColumns === undefined ? {} : { trackingColumns: props.trackingColumns }),
      ...(props.adoptExisting === undefined ? {} : { adoptExisting: props.adoptExisting }),
    });
    this.columns = checkModel(issues, declaration);
    this.modelName = props.name;
    this.declare(
      issues,
      declaration,
      [
        {
          construct: connection,
          property: "connection",
          kind: "connection",
          name: connection.connectionName,
          type: connection.connectionType,
          typeName: "SnowflakeConnection",
        },
      ],
      props.dependsOn,
    );
  }

  /**
   * A reference to one column, as a sync's source; throws at once, suggesting the nearest column,
   * for a column the model does not have.
   * @example users.field("email")
   */
  field(name: string): ModelField {
    const columns = this.columns;
    if (columns !== undefined && !columns.includes(name)) {
      const suggestion = nearest(name, columns);
      throw new PolytomicValidationError(subjectOf("QueryModel", this), [
        {
          property: `field(${JSON.stringify(name)})`,
          received: name,
          problem: `names no column of model ${JSON.stringify(this.modelName)}`,
          fix: `${suggestion ? `Did you mean ${JSON.stringify(suggestion)}? ` : ""}The model's columns are ${columns.map((column) => JSON.stringify(column)).join(", ")}.`,
        },
      ]);
    }
    return { model: this, name };
  }
}

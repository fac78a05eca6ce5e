import type { SnowflakeDeclaration } from "../core/declarations";
import type { IssueCollector } from "../core/errors";
import type { Secret } from "../core/secret";
import { checkSnowflake } from "../core/validate/connection";
import { SNOWFLAKE_PROPS } from "../core/validate/props-schemas";
import type { Construct } from "constructs";
import type { ITerraformDependable } from "./framework";
import type { IConnection } from "./connection";
import { importConnection, OwnedConnection } from "./connection";

/** Props of {@link SnowflakeConnection}: one authentication method, as a `Secret`. */
export interface SnowflakeConnectionProps {
  /** The connection's name in Polytomic; it identifies the connection, so it is unique in the stack. */
  readonly name: string;
  /** Account identifier, e.g. `uc193736182` or `FRXJLEC-UJA94780`. */
  readonly account: string;
  /** The Snowflake user Polytomic connects as. */
  readonly username: string;
  /** The database Polytomic reads. */
  readonly dbname: string;
  /**
   * Compute warehouse.
   * @default - the user's default warehouse
   */
  readonly warehouse?: string;
  /**
   * Extra connection parameters, as a query string (`role=ANALYST`). It is stored in the plan and
   * the state, so it must not carry credentials (refused): use the Secret props.
   * @default - none
   */
  readonly params?: string;
  /**
   * Password authentication. Exactly one of `password` and `privateKey` is required.
   * @default - none
   */
  readonly password?: Secret;
  /**
   * Key-pair authentication: the PEM private key.
   * @default - none
   */
  readonly privateKey?: Secret;
  /**
   * Passphrase of an encrypted `privateKey`.
   * @default - the key is not encrypted
   */
  readonly privateKeyPassphrase?: Secret;
  /**
   * Let a deploy take over a connection of this name that exists in Polytomic but was not created
   * by this stack. Without it, such a deploy fails naming the connection.
   * @default - the stack's `PolytomicSettings` adoptExisting (false)
   */
  readonly adoptExisting?: boolean;
  /**
   * Terraform resources the connection waits for (the Snowflake user or grant it needs).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A Snowflake connection: the warehouse Polytomic reads models from.
 *
 * @example
 * new SnowflakeConnection(stack, "Snowflake", {
 *   name: "Snowflake Connection",
 *   account: "uc193736182",
 *   username: "user",
 *   dbname: "database",
 *   password: Secret.fromEnv("SNOWFLAKE_PASSWORD"),
 * });
 */
export class SnowflakeConnection extends OwnedConnection<SnowflakeConnectionProps> {
  /** Refers to an existing Snowflake connection by name; the stack never changes or deletes it. */
  static fromConnectionName(scope: Construct, id: string, connectionName: string): IConnection {
    return importConnection(scope, id, connectionName, "snowflake", "SnowflakeConnection");
  }

  constructor(scope: Construct, id: string, props: SnowflakeConnectionProps) {
    super(scope, id, props, "snowflake", "SnowflakeConnection", SNOWFLAKE_PROPS);
  }

  /** @internal */
  protected toDeclaration(
    issues: IssueCollector,
    props: SnowflakeConnectionProps,
  ): SnowflakeDeclaration {
    const password = this.secretSource(issues, "password", props.password);
    const privateKey = this.secretSource(issues, "privateKey", props.privateKey);
    const passphrase = this.secretSource(
      issues,
      "privateKeyPassphrase",
      props.privateKeyPassphrase,
    );
    const declaration: SnowflakeDeclaration = this.defer({
      kind: "connection",
      type: "snowflake",
      name: props.name,
      account: props.account,
      username: props.username,
      dbname: props.dbname,
      ...(props.warehouse === undefined ? {} : { warehouse: props.warehouse }),
      ...(props.params === undefined ? {} : { params: props.params }),
      ...(props.adoptExisting === undefined ? {} : { adoptExisting: props.adoptExisting }),
    });
    const withSecrets: SnowflakeDeclaration = {
      ...declaration,
      ...(password ? { password } : {}),
      ...(privateKey ? { privateKey } : {}),
      ...(passphrase ? { privateKeyPassphrase: passphrase } : {}),
    };
    // A secret prop that was not a Secret is already an issue; do not also report it missing.
    if (!issues.issues.some((issue) => ["password", "privateKey"].includes(issue.property)))
      checkSnowflake(issues, withSecrets);
    return withSecrets;
  }
}

import type { Secret } from "../core/secret";
import { buildSnowflakeSpec } from "../core/validate/connection";
import type { Construct } from "./cdktf";
import type { IConnection } from "./connection";
import { importConnection, OwnedConnection } from "./connection";

export interface SnowflakeConnectionProps {
  /** The connection's name in Polytomic; it identifies the connection, so it is unique in the stack. */
  readonly name: string;
  /** Account identifier, e.g. `uc193736182` or `FRXJLEC-UJA94780`. */
  readonly account: string;
  readonly username: string;
  /** The database Polytomic reads. */
  readonly dbname: string;
  /**
   * Compute warehouse.
   * @default - the user's default warehouse
   */
  readonly warehouse?: string;
  /**
   * Extra connection parameters, as a query string.
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
}

/** A Snowflake connection: the warehouse Polytomic reads models from. */
export class SnowflakeConnection extends OwnedConnection<SnowflakeConnectionProps> {
  /** Refers to an existing Snowflake connection by name; the stack never changes or deletes it. */
  static fromConnectionName(scope: Construct, id: string, connectionName: string): IConnection {
    return importConnection(scope, id, connectionName, "snowflake", "SnowflakeConnection");
  }

  constructor(scope: Construct, id: string, props: SnowflakeConnectionProps) {
    super(scope, id, props, "snowflake", "SnowflakeConnection", buildSnowflakeSpec);
  }
}

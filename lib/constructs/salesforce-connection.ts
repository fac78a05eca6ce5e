import type { Secret } from "../core/secret";
import type { SalesforceConnectMode } from "../core/validate/connection";
import { buildSalesforceSpec } from "../core/validate/connection";
import type { Construct } from "./cdktf";
import type { IConnection } from "./connection";
import { importConnection, OwnedConnection } from "./connection";

export type { SalesforceConnectMode };

export interface SalesforceConnectionProps {
  /** The connection's name in Polytomic; it identifies the connection, so it is unique in the stack. */
  readonly name: string;
  /** Login domain, e.g. `acmecorp.my.salesforce.com` or `https://acmecorp.my.salesforce.com`. */
  readonly domain: string;
  /**
   * Where Polytomic sends the browser once OAuth completes.
   * @default - Polytomic's own page
   */
  readonly redirectUrl?: string;
  /**
   * How Polytomic obtains Salesforce credentials: `browser` and `code` hand a person an
   * authorisation URL during deploy; `api` takes a client id, secret and refresh token;
   * `clientcredentials` takes a client id and secret.
   * @default "api" when clientId and clientSecret are given (Polytomic's rule), else "browser"
   */
  readonly connectMode?: SalesforceConnectMode;
  /**
   * Connected-app client id (`api`, `clientcredentials`).
   * @default - none
   */
  readonly clientId?: Secret;
  /**
   * Connected-app client secret (`api`, `clientcredentials`).
   * @default - none
   */
  readonly clientSecret?: Secret;
  /**
   * OAuth refresh token (`api`).
   * @default - none
   */
  readonly refreshToken?: Secret;
}

/** A Salesforce connection: a target that syncs write records into. */
export class SalesforceConnection extends OwnedConnection<SalesforceConnectionProps> {
  /** Refers to an existing Salesforce connection by name; the stack never changes or deletes it. */
  static fromConnectionName(scope: Construct, id: string, connectionName: string): IConnection {
    return importConnection(scope, id, connectionName, "salesforce", "SalesforceConnection");
  }

  constructor(scope: Construct, id: string, props: SalesforceConnectionProps) {
    super(scope, id, props, "salesforce", "SalesforceConnection", buildSalesforceSpec);
  }
}

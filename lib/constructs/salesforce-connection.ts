import type { SalesforceConnectMode, SalesforceDeclaration } from "../core/declarations";
import type { IssueCollector } from "../core/errors";
import type { Secret } from "../core/secret";
import { checkSalesforce } from "../core/validate/connection";
import { SALESFORCE_PROPS } from "../core/validate/props-schemas";
import type { Construct } from "constructs";
import type { ITerraformDependable } from "./framework";
import type { IConnection } from "./connection";
import { importConnection, OwnedConnection } from "./connection";

export type { SalesforceConnectMode };

/** Props of {@link SalesforceConnection}. */
export interface SalesforceConnectionProps {
  /** The connection's name in Polytomic; it identifies the connection, so it is unique in the stack. */
  readonly name: string;
  /** Login domain, e.g. `acmecorp.my.salesforce.com` or `https://acmecorp.my.salesforce.com`. */
  readonly domain: string;
  /**
   * Where Polytomic sends the browser once OAuth completes (taken when the connection is created).
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
  /**
   * Let a deploy take over a connection of this name that exists in Polytomic but was not created
   * by this stack. Without it, such a deploy fails naming the connection.
   * @default - the stack's `PolytomicSettings` adoptExisting (false)
   */
  readonly adoptExisting?: boolean;
  /**
   * Terraform resources the connection waits for.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A Salesforce connection: a target that syncs write records into.
 *
 * @example
 * new SalesforceConnection(stack, "Salesforce", {
 *   name: "Salesforce Connection",
 *   domain: "https://example.my.salesforce.com",
 * });
 */
export class SalesforceConnection extends OwnedConnection<SalesforceConnectionProps> {
  /** Refers to an existing Salesforce connection by name; the stack never changes or deletes it. */
  static fromConnectionName(scope: Construct, id: string, connectionName: string): IConnection {
    return importConnection(scope, id, connectionName, "salesforce", "SalesforceConnection");
  }

  constructor(scope: Construct, id: string, props: SalesforceConnectionProps) {
    super(scope, id, props, "salesforce", "SalesforceConnection", SALESFORCE_PROPS);
  }

  /** @internal */
  protected toDeclaration(
    issues: IssueCollector,
    props: SalesforceConnectionProps,
  ): SalesforceDeclaration {
    const clientId = this.secretSource(issues, "clientId", props.clientId);
    const clientSecret = this.secretSource(issues, "clientSecret", props.clientSecret);
    const refreshToken = this.secretSource(issues, "refreshToken", props.refreshToken);
    const connectMode =
      props.connectMode ??
      (props.clientId !== undefined && props.clientSecret !== undefined ? "api" : "browser");
    const declaration: SalesforceDeclaration = {
      ...this.defer({
        kind: "connection" as const,
        type: "salesforce" as const,
        name: props.name,
        domain: props.domain,
        connectMode,
        ...(props.redirectUrl === undefined ? {} : { redirectUrl: props.redirectUrl }),
        ...(props.adoptExisting === undefined ? {} : { adoptExisting: props.adoptExisting }),
      }),
      ...(clientId ? { clientId } : {}),
      ...(clientSecret ? { clientSecret } : {}),
      ...(refreshToken ? { refreshToken } : {}),
    };
    checkSalesforce(issues, declaration);
    return declaration;
  }
}

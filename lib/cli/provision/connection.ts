/** Upserting a connection: full replacement with secrets read from the environment at apply time. */
import type { Connection } from "../../api";
import type { ConnectionSpec } from "../../core/contract";
import { INTERACTIVE_CONNECT_MODES } from "../../core/validate/connection";
import { ProvisionError } from "./errors";
import { confirmName, describe, findByName } from "./lookup";
import { knownConnection } from "./resolve";
import type { Session } from "./session";

/** A connection is usable once Polytomic reports it healthy (OAuth connections: once authorised). */
export function isAuthorised(connection: { readonly status?: string }): boolean {
  return connection.status === "healthy";
}

function isInteractive(spec: ConnectionSpec): boolean {
  return (
    spec.type === "salesforce" &&
    (INTERACTIVE_CONNECT_MODES as readonly unknown[]).includes(spec.configuration.connect_mode)
  );
}

/** Prints the OAuth hand-off so that it stands out in Terraform's output. */
export function printAuthorisation(session: Session, name: string, connection: Connection): void {
  if (!connection.auth_url || isAuthorised(connection)) return;
  const rule = "=".repeat(72);
  session.output.info(
    [
      rule,
      `ACTION REQUIRED: authorise Salesforce connection ${JSON.stringify(name)} in a browser:`,
      `  ${connection.auth_url}`,
      ...(connection.auth_code ? [`  and enter the code ${connection.auth_code}`] : []),
      `Syncs that write to it wait for the authorisation during this deploy.`,
      rule,
    ].join("\n"),
  );
}

export async function upsertConnection(session: Session, spec: ConnectionSpec): Promise<void> {
  const { client, output } = session;
  const configuration: Record<string, unknown> = { ...spec.configuration };
  for (const [key, variable] of Object.entries(spec.secrets)) {
    configuration[key] = session.secret(
      variable,
      `the ${key} of connection ${JSON.stringify(spec.name)}`,
    );
  }
  // Credentials can be checked now, except for OAuth that a person has yet to complete.
  const validate = !isInteractive(spec);
  const existing = findByName("connection", await client.listConnections(), spec.name);
  let result: Connection;
  if (!existing) {
    result = await client.createConnection({
      name: spec.name,
      type: spec.type,
      configuration,
      validate,
      ...(spec.redirect_url ? { redirect_url: spec.redirect_url } : {}),
    });
    output.info(`created ${describe("connection", spec.name)} (id ${result.id})`);
  } else {
    const existingType = existing.type?.id;
    if (existingType !== undefined && existingType !== spec.type) {
      throw new ProvisionError(
        `${describe("connection", spec.name)} exists (id ${existing.id}) with type ${existingType}, not ${spec.type}; a connection's type cannot change: rename one of them`,
      );
    }
    result = await client.updateConnection(existing.id, {
      name: spec.name,
      type: spec.type,
      configuration,
      validate,
    });
    output.info(
      `${describe("connection", spec.name)} exists (id ${existing.id}): updated in place`,
    );
    if (spec.redirect_url) {
      output.info(
        `note: Polytomic takes redirectUrl when a connection is created; ${describe("connection", spec.name)} keeps the one it was created with`,
      );
    }
  }
  confirmName("connection", spec.name, result);
  session.known.remember("connection", knownConnection(result));
  printAuthorisation(session, spec.name, result);
}

/**
 * Who acts on the emulator's API. Polytomic's API keys are user keys (polytomic-api.md §12, M11):
 * each organization's key acts as its user. A test stands for a person working in the UI, another
 * user of the organization, by naming them in the `X-Emulator-User` header (a test facility: the
 * real API has no such header); their writes carry that user as `updated_by` / `created_by`.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { badRequest } from "./errors";
import type { Actor, OrgState } from "./records";
import { header } from "./request";

export const PERSON_HEADER = "x-emulator-user";

/** A stable id per person and organization, shaped like Polytomic's UUIDs. */
function personId(org: OrgState, name: string): string {
  const hex = createHash("sha256").update(`${org.id}\0${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function actorOfRequest(req: IncomingMessage, org: OrgState): Actor {
  const person = header(req, PERSON_HEADER);
  if (person === undefined) return org.user;
  if (person.trim() === "" || person.length > 100) {
    throw badRequest(`${PERSON_HEADER} must name a person (1-100 characters)`);
  }
  return { id: personId(org, person), name: person, type: "user" };
}

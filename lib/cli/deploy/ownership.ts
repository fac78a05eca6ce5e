/**
 * Which existing Polytomic objects this stack owns. Polytomic assigns ids at creation and a
 * provisioner cannot write them back into Terraform state, so ownership is decided from what the
 * state does keep: the plan time of the first deploy that declared the object (its
 * `terraform_data`'s `triggers_replace`, frozen by `ignore_changes`). An object is the
 * stack's when
 * - it was created at or after that time: by this stack, possibly in an interrupted apply;
 * - it was saved at or after that time by the deploy's own API user: the stack's own write (the
 *   deploy step saves an object it takes back, see the `recover` action of plan.ts);
 * - or `adoptExisting` allows it (set now, or when the object was first declared: its claim then
 *   says so).
 * An object created before by someone else is taken over only with `adoptExisting`.
 */
import type { OwnedEntry } from "../../core/contract";
import { ADOPTED } from "../../core/contract";

export interface Timestamped {
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly created_by?: { readonly id?: string };
  readonly updated_by?: { readonly id?: string };
}

function at(time: string | undefined): number {
  return Date.parse(time ?? "");
}

/**
 * Whether `live` belongs to the stack that records `entry` for its name; `identity` is the id of
 * the user the deploy's API key acts as, when known.
 */
export function isOwned(
  live: Timestamped,
  entry: OwnedEntry | undefined,
  identity?: string,
): boolean {
  if (!entry) return false;
  if (entry[2] === "adopt" || entry[1] === ADOPTED) return true;
  const declared = at(entry[1]);
  if (!Number.isFinite(declared)) return false;
  if (at(live.created_at) >= declared) return true;
  return (
    identity !== undefined && live.updated_by?.id === identity && at(live.updated_at) >= declared
  );
}

/**
 * Whether the deploy's own API user created `live`: the condition for taking back an object that
 * is exactly as declared but not provably the stack's (its record was lost with a killed apply's
 * state); an object someone else created is never taken back.
 */
export function createdByDeployUser(live: Timestamped, identity: string | undefined): boolean {
  return identity !== undefined && live.created_by?.id === identity;
}

/** Whether deciding `live`'s ownership needs the deploy's API identity (it is read only then). */
export function needsIdentity(live: Timestamped, entry: OwnedEntry | undefined): boolean {
  return (
    entry !== undefined &&
    !isOwned(live, entry) &&
    (live.updated_by?.id ?? live.created_by?.id) !== undefined
  );
}

/**
 * Which existing Polytomic objects this stack owns. Polytomic assigns ids at creation and a
 * provisioner cannot write them back into Terraform state, so ownership is decided from what the
 * state does keep: the plan time of the first deploy that declared the object (its
 * `terraform_data`'s `triggers_replace.declared_at`, frozen by `ignore_changes`). An object
 * created at or after that time was created by this stack, possibly in an interrupted apply; one
 * created before it existed already, and is taken over only with `adoptExisting` (set now, or
 * when the object was first declared: its claim then says so).
 */
import type { OwnedEntry } from "../../core/contract";
import { ADOPTED } from "../../core/contract";

export interface Timestamped {
  readonly created_at?: string;
  readonly updated_at?: string;
}

/** Whether `live` belongs to the stack that records `entry` for its name. */
export function isOwned(live: Timestamped, entry: OwnedEntry | undefined): boolean {
  if (!entry) return false;
  if (entry[2] === "adopt" || entry[1] === ADOPTED) return true;
  const created = Date.parse(live.created_at ?? "");
  const declared = Date.parse(entry[1]);
  return Number.isFinite(created) && Number.isFinite(declared) && created >= declared;
}

/**
 * Whether a deletion may remove `live`: owned as above, or saved since the stack declared it (an
 * object the deploy step took back: see the `recover` action of plan.ts). An object the stack
 * refused is never saved by it.
 */
export function isDeletable(live: Timestamped, entry: OwnedEntry | undefined): boolean {
  if (isOwned(live, entry)) return true;
  if (!entry) return false;
  const updated = Date.parse(live.updated_at ?? "");
  const declared = Date.parse(entry[1]);
  return Number.isFinite(updated) && Number.isFinite(declared) && updated >= declared;
}

/**
 * Which existing Polytomic objects this stack owns. Polytomic assigns ids at creation and a
 * provisioner cannot write them back into Terraform state, so ownership is decided from what the
 * state does keep: the plan time of the first deploy that declared the object (its
 * `terraform_data`'s `triggers_replace.declared_at`, frozen by `ignore_changes`). An object
 * created at or after that time was created by this stack, possibly in an interrupted apply; one
 * created before it existed already, and is taken over only with `adoptExisting`.
 */
import type { OwnedEntry } from "../../core/contract";

export interface Timestamped {
  readonly created_at?: string;
}

/** Whether `live` belongs to the stack that records `entry` for its name. */
export function isOwned(live: Timestamped, entry: OwnedEntry | undefined): boolean {
  if (!entry) return false;
  if (entry[2] === "adopt") return true;
  const created = Date.parse(live.created_at ?? "");
  const declared = Date.parse(entry[1]);
  return Number.isFinite(created) && Number.isFinite(declared) && created >= declared;
}

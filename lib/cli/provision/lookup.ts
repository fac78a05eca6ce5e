/**
 * Name identity: an object is found by its kind and name. Two live objects with one name cannot be
 * told apart, so the CLI refuses to act and names both ids.
 */
import type { ObjectKind } from "../../core/contract";
import { ProvisionError } from "./errors";

export interface Named {
  readonly id: string;
  readonly name: string;
}

export function findByName<T extends Named>(
  kind: ObjectKind,
  items: readonly T[],
  name: string,
): T | undefined {
  const matches = items.filter((item) => item.name === name);
  if (matches.length > 1) {
    throw new ProvisionError(
      `${matches.length} ${kind}s are named ${JSON.stringify(name)} (ids ${matches.map((item) => item.id).join(", ")}); names identify objects, so nothing was changed: delete or rename all but one in Polytomic, then deploy again`,
    );
  }
  return matches[0];
}

/** Like {@link findByName}, for a dependency that must exist. */
export function requireByName<T extends Named>(
  kind: ObjectKind,
  items: readonly T[],
  name: string,
  neededBy: string,
): T {
  const found = findByName(kind, items, name);
  if (!found) {
    throw new ProvisionError(
      `${neededBy} needs the ${kind} ${JSON.stringify(name)}, which does not exist in Polytomic: declare it in the stack or create it before deploying`,
    );
  }
  return found;
}

export function describe(kind: ObjectKind, name: string): string {
  return `${kind} ${JSON.stringify(name)}`;
}

/**
 * The next deploy finds the object by the name it was saved under; a server that altered the name
 * (trimmed it, say) would make that lookup miss and create a duplicate, so stop here instead.
 */
export function confirmName(kind: ObjectKind, name: string, saved: Named): void {
  if (saved.name !== name) {
    throw new ProvisionError(
      `Polytomic saved ${describe(kind, name)} under the name ${JSON.stringify(saved.name)} (id ${saved.id}); the stack identifies objects by exact name, so rename it in the code to match`,
    );
  }
}

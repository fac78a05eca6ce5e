/**
 * Keys of the per-kind lifecycle resources' `for_each` maps. A key identifies an object (kind +
 * name) and appears in plan output, so it is readable; but names are user text, which must never
 * reach a Terraform expression, so a key keeps only safe characters and adds a hash of the exact
 * name to stay unique.
 */
import { createHash } from "node:crypto";

const UNSAFE = /[^A-Za-z0-9 _.-]+/g;
const MAX_READABLE = 40;

export function lifecycleKey(name: string): string {
  const readable = name.replace(UNSAFE, "_").trim().slice(0, MAX_READABLE);
  const hash = createHash("sha256").update(name, "utf8").digest("hex").slice(0, 8);
  return readable ? `${readable}-${hash}` : hash;
}

/**
 * Canonical JSON (object keys sorted, no whitespace, undefined members dropped) so that the same
 * spec always hashes and encodes to the same bytes, and Terraform sees no change when nothing
 * changed.
 */

import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeys(member);
    }
    return sorted;
  }
  return value;
}

export function encodeSpec(value: unknown): string {
  return Buffer.from(canonicalJson(value), "utf8").toString("base64");
}

export function decodeSpec(encoded: string): unknown {
  return JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
}

/** SHA-256 of the encoded spec: what Terraform compares to decide whether to re-apply. */
export function specDigest(encoded: string): string {
  return createHash("sha256").update(encoded).digest("hex");
}

/**
 * Resolves the organization a request acts for (polytomic-api.md §1.2): `Bearer <apiKey>`, or
 * `Basic base64(<organizationId>:<apiKey>)` where the organization must be the key's own. Every
 * emulator key is an organization key, so there is no unscoped partner access.
 */
import type { OrgState } from "./records";
import type { Store } from "./store";

function basicCredentials(encoded: string): { orgId: string; apiKey: string } | undefined {
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { orgId: decoded.slice(0, colon).trim(), apiKey: decoded.slice(colon + 1).trim() };
}

export function authenticate(header: string | undefined, store: Store): OrgState | undefined {
  const match = /^(Bearer|Basic)\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return undefined;
  const [, scheme, credential] = match;
  if (scheme.toLowerCase() === "bearer") return store.orgForKey(credential);
  const basic = basicCredentials(credential);
  if (basic === undefined) return undefined;
  const org = store.orgForKey(basic.apiKey);
  return org?.id === basic.orgId ? org : undefined;
}

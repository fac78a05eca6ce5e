/**
 * `Idempotency-Key` semantics (polytomic-api.md §2.5): keys are `[A-Za-z0-9_-]{8,255}`, scoped to
 * the organization; the first request's outcome, errors included, is stored and replayed for 24
 * hours to every later request with the key, whatever its body or path; while the first request
 * is still in flight a duplicate gets 409.
 */
import { ApiError } from "./errors";
import type { Outcome } from "./outcome";
import type { OrgState } from "./records";

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,255}$/;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Why `key` is not a valid Idempotency-Key, if it is not. */
export function invalidIdempotencyKey(key: string): ApiError | undefined {
  if (KEY_PATTERN.test(key)) return undefined;
  return new ApiError(
    400,
    "invalid Idempotency-Key: use 8 to 255 characters from A-Z, a-z, 0-9, _ and -",
  );
}

export type IdempotencyClaim =
  | { readonly kind: "replay"; readonly outcome: Outcome }
  | { readonly kind: "busy" }
  | { readonly kind: "claimed"; readonly release: () => void };

/** Tracks keys whose first request is still being processed. */
export class IdempotencyLocks {
  private readonly inFlight = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  claim(org: OrgState, key: string): IdempotencyClaim {
    const stored = org.idempotency.get(key);
    if (stored && this.now() - stored.stored_at < IDEMPOTENCY_TTL_MS) {
      const { status, headers, body } = stored;
      return { kind: "replay", outcome: { status, headers, body } };
    }
    const lock = `${org.id}\n${key}`;
    if (this.inFlight.has(lock)) return { kind: "busy" };
    this.inFlight.add(lock);
    return { kind: "claimed", release: () => this.inFlight.delete(lock) };
  }

  /** Stores the first outcome for `key`; dropping expired records keeps the store bounded. */
  remember(org: OrgState, key: string, outcome: Outcome): void {
    const now = this.now();
    for (const [storedKey, record] of org.idempotency) {
      if (now - record.stored_at >= IDEMPOTENCY_TTL_MS) org.idempotency.delete(storedKey);
    }
    org.idempotency.set(key, { ...outcome, stored_at: now });
  }
}

export function keyInFlight(): ApiError {
  return new ApiError(
    409,
    "a request with this Idempotency-Key is still in progress; retry once it has completed",
  );
}

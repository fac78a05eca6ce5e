/**
 * Fault injection, so clients can be tested against the failures a real service has: transient
 * 500/503 answers, responses lost after the write was committed, rate limiting and latency.
 *
 * Each write request consumes random draws in a fixed order, which tests rely on when they inject
 * `random`: when `failRate` > 0, one draw decides failure (draw < failRate) and, on failure, a
 * second picks the status (draw < 0.5 → 500, else 503); then, when `dropRate` > 0 and the request
 * did not fail, one draw decides whether the response is lost (draw < dropRate).
 */
export type InjectedFailure = 500 | 503;

export interface FaultSettings {
  readonly failRate: number;
  readonly dropRate: number;
  readonly random: () => number;
}

export function drawFailure(settings: FaultSettings): InjectedFailure | undefined {
  if (settings.failRate <= 0 || settings.random() >= settings.failRate) return undefined;
  return settings.random() < 0.5 ? 500 : 503;
}

export function drawDrop(settings: FaultSettings): boolean {
  return settings.dropRate > 0 && settings.random() < settings.dropRate;
}

/**
 * A token bucket per API key: `perSecond` requests may burst at once, refilled continuously.
 * {@link take} answers how many whole seconds to wait (the Retry-After value) when the bucket is
 * empty.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(bucketKey: string): number | undefined {
    const now = this.now();
    const capacity = Math.max(1, this.perSecond);
    const bucket = this.buckets.get(bucketKey) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(bucketKey, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }
}

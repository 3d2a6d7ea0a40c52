/**
 * AWS IoT throttles its control plane per API (about 10 requests per second
 * each for the jobs APIs, shared by every caller of the account). This token
 * bucket per operation, refilled on the virtual clock, reproduces that when
 * a rate is configured, so a workflow's retries meet a real
 * ThrottlingException under load rather than an injected one.
 */
import type { Clock } from '../../clock/clock.js';

interface Bucket {
  tokens: number;
  at: number;
}

export class OperationThrottle {
  private readonly buckets = new Map<string, Bucket>();

  /** `ratePerSecond` undefined: never throttles. The burst equals one second's worth. */
  constructor(
    private readonly clock: Clock,
    private readonly ratePerSecond: number | undefined,
  ) {}

  /** Takes a token for one call of `operation`; false when the bucket is empty. */
  admit(operation: string): boolean {
    const rate = this.ratePerSecond;
    if (rate === undefined) return true;
    const now = this.clock.now();
    const bucket = this.buckets.get(operation) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(operation, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/**
 * Delivers a release event to the release's own webhook (`notify.webhookUrl`):
 * an HTTP POST of the event JSON, signed with `X-Fleetwave-Signature`
 * (`t=<unix>,v1=<hex>` over `<t>.<body>`; see `webhook-signatures.ts`).
 *
 * Delivery never throws: it answers a {@link WebhookDeliveryOutcome} the
 * caller records in the release history, because a receiver that is down
 * must not fail the release. Transient failures (network errors, timeouts,
 * 408, 425, 429, 5xx) are retried with exponential backoff and full jitter,
 * honouring `Retry-After`, up to a number of attempts and a total time;
 * anything else (4xx, redirects) is final at once. Every attempt is signed
 * anew (a fresh timestamp) and carries the same `X-Fleetwave-Delivery` id,
 * so the receiver can drop duplicates.
 */
import { randomUUID } from 'node:crypto';
import { type NotificationEvent, webhookUrlSchema } from '../domain/notifications.js';
import { signFleetwavePayload } from '../domain/webhook-signatures.js';

/** Retry and timeout limits. */
export interface WebhookNotifierConfig {
  /** Attempts in all, first included. */
  maxAttempts: number;
  /** No attempt starts after this long since the first one began. */
  maxTotalMs: number;
  /** One attempt is abandoned after this long. */
  attemptTimeoutMs: number;
  /** Backoff before retry n: up to `min(maxDelayMs, baseDelayMs * 2^(n-1))`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

const defaultWebhookNotifierConfig: Readonly<WebhookNotifierConfig> = {
  maxAttempts: 5,
  maxTotalMs: 60_000,
  attemptTimeoutMs: 5_000,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
};

/** What the notifier depends on; everything but the secrets has a real default. */
export interface WebhookNotifierDeps {
  /** The signing secrets (several while receivers rotate); none means nothing is sent. */
  signingSecrets: () => Promise<readonly string[]>;
  fetch?: typeof fetch;
  /** Waits between attempts; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Epoch ms, for the total-time limit and signature timestamps. */
  now?: () => number;
  /** Jitter source, in [0, 1). */
  random?: () => number;
}

/** What happened to one delivery, for the release history. */
export interface WebhookDeliveryOutcome {
  delivered: boolean;
  /** HTTP requests made (0 when nothing could be sent). */
  attempts: number;
  /** The HTTP status of the last answer, if any answer came. */
  lastStatus?: number;
  /** Why the delivery failed; absent when delivered. */
  error?: string;
  /** `X-Fleetwave-Delivery`, the same on every attempt. */
  deliveryId: string;
}

/** Statuses worth another attempt: the receiver may be fine a moment later. */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

type AttemptResult = { status: number; retryAfterMs?: number } | { error: string };

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date), when present and sane. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The body a webhook receives: the event in EventBridge's field names. */
function webhookBody(event: NotificationEvent): string {
  return JSON.stringify({
    version: '0',
    source: event.source,
    'detail-type': event.detailType,
    time: event.time,
    resources: event.resources,
    detail: event.detail,
  });
}

export class WebhookNotifier {
  private readonly config: WebhookNotifierConfig;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    private readonly deps: WebhookNotifierDeps,
    config: Partial<WebhookNotifierConfig> = {},
  ) {
    this.config = { ...defaultWebhookNotifierConfig, ...config };
    this.fetch = deps.fetch ?? globalThis.fetch;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
  }

  /** POSTs `event` to `url` until it is taken or the limits are reached. Never throws. */
  async deliver(url: string, event: NotificationEvent): Promise<WebhookDeliveryOutcome> {
    const deliveryId = randomUUID();
    if (!webhookUrlSchema.safeParse(url).success) {
      return {
        delivered: false,
        attempts: 0,
        error: 'The webhook URL is not a valid http(s) URL.',
        deliveryId,
      };
    }
    let secrets: readonly string[];
    try {
      secrets = await this.deps.signingSecrets();
    } catch (error) {
      return { delivered: false, attempts: 0, error: `No signing secret: ${String(error)}`, deliveryId };
    }
    if (secrets.length === 0) {
      return { delivered: false, attempts: 0, error: 'No webhook signing secret is configured.', deliveryId };
    }
    const body = webhookBody(event);
    const started = this.now();
    let lastStatus: number | undefined;
    let lastError = '';
    for (let attempt = 1; ; attempt++) {
      const remaining = this.config.maxTotalMs - (this.now() - started);
      const result = await this.attempt(
        url,
        event,
        body,
        secrets,
        deliveryId,
        Math.min(this.config.attemptTimeoutMs, remaining),
      );
      if ('status' in result) {
        lastStatus = result.status;
        if (result.status >= 200 && result.status < 300)
          return { delivered: true, attempts: attempt, lastStatus, deliveryId };
        lastError = `HTTP ${result.status}`;
        if (!RETRYABLE_STATUSES.has(result.status))
          return this.failed(attempt, lastStatus, lastError, deliveryId);
      } else {
        lastError = result.error;
      }
      if (attempt >= this.config.maxAttempts) {
        return this.failed(
          attempt,
          lastStatus,
          `${lastError}; gave up after ${attempt} attempts`,
          deliveryId,
        );
      }
      const backoff = this.backoff(attempt);
      const delay =
        'retryAfterMs' in result && result.retryAfterMs !== undefined
          ? Math.max(backoff, result.retryAfterMs)
          : backoff;
      if (this.now() - started + delay >= this.config.maxTotalMs) {
        return this.failed(
          attempt,
          lastStatus,
          `${lastError}; gave up: retrying would exceed ${this.config.maxTotalMs} ms`,
          deliveryId,
        );
      }
      await this.sleep(delay);
    }
  }

  private failed(
    attempts: number,
    lastStatus: number | undefined,
    error: string,
    deliveryId: string,
  ): WebhookDeliveryOutcome {
    return { delivered: false, attempts, ...(lastStatus !== undefined && { lastStatus }), error, deliveryId };
  }

  /** Full jitter: a random pause up to the exponential ceiling. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.config.maxDelayMs, this.config.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling * this.random());
  }

  private async attempt(
    url: string,
    event: NotificationEvent,
    body: string,
    secrets: readonly string[],
    deliveryId: string,
    timeoutMs: number,
  ): Promise<AttemptResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(1, timeoutMs));
    try {
      const res = await this.fetch(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: controller.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'fleetwave-webhook/1',
          'x-fleetwave-event': event.detailType,
          'x-fleetwave-delivery': deliveryId,
          'x-fleetwave-signature': signFleetwavePayload(body, secrets, Math.floor(this.now() / 1000)),
        },
      });
      // The answer's body is not read: drop it so the connection is freed.
      await res.body?.cancel().catch(() => undefined);
      const after = retryAfterMs(res.headers.get('retry-after'), this.now());
      return after === undefined ? { status: res.status } : { status: res.status, retryAfterMs: after };
    } catch (error) {
      if (controller.signal.aborted) return { error: `timed out after ${timeoutMs} ms` };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return {
        error: cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

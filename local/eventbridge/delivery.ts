/**
 * Rules and targets of the local EventBridge: each subscription is a rule
 * (an event pattern on one bus) with one target, a function of the event.
 *
 * Delivery is asynchronous, as on AWS: PutEvents answers before any target
 * runs. A target that throws is retried with exponential backoff and jitter
 * on the virtual clock, as EventBridge retries a failed target, until the
 * rule's retry policy runs out (attempts or event age); the event then goes
 * to the dead-letter list. Every failed attempt is recorded: an event is
 * never dropped silently.
 *
 * The local defaults retry less than AWS (3 retries instead of 185 over
 * 24 hours) so a rehearsal surfaces a broken target in minutes of virtual
 * time; a rule can set AWS's values through its retry policy.
 */

import type { SchedulingClock } from '../clock/clock.js';
import { type CompiledEventPattern, compileEventPattern } from './event-pattern.js';
import { busNameOf } from './protocol.js';
import type { EventBridgeEvent } from './put-events.js';
import { RingBuffer } from './ring-buffer.js';

/** A rule's target: receives a copy of the event; a rejection or throw is a failed delivery. */
export type EventTarget = (event: EventBridgeEvent) => Promise<unknown> | unknown;

/** A rule's retry policy, with EventBridge's field names (`RetryPolicy` of PutTargets). */
export interface RetryPolicy {
  /** Retries after the first attempt; EventBridge allows 0 to 185. */
  maximumRetryAttempts: number;
  /** No retry starts once the event is older than this; EventBridge allows 60 to 86400. */
  maximumEventAgeInSeconds: number;
}

const defaultRetryPolicy: Readonly<RetryPolicy> = {
  maximumRetryAttempts: 3,
  maximumEventAgeInSeconds: 3600,
};

/** Backoff between attempts: `baseDelayMs * 2^(retry-1)`, capped, then jittered to 50–100 %. */
export interface RetryBackoff {
  baseDelayMs: number;
  maxDelayMs: number;
}

const defaultRetryBackoff: Readonly<RetryBackoff> = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

export interface SubscribeOptions {
  /** The rule's name (ListRules, failure records); generated when absent. */
  name?: string;
  /** The bus the rule listens on, by name or ARN; `default` when absent. */
  eventBus?: string;
  description?: string;
  retryPolicy?: Partial<RetryPolicy>;
}

/** A rule with its target. */
export interface Subscription {
  readonly name: string;
  readonly eventBusName: string;
  readonly description?: string;
  readonly pattern: CompiledEventPattern;
  readonly retryPolicy: Readonly<RetryPolicy>;
  /** Removes the rule; retries already scheduled still run. */
  unsubscribe(): void;
}

/** One failed delivery attempt. */
export interface DeliveryFailure {
  eventId: string;
  rule: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Virtual epoch ms. */
  at: number;
  error: { name: string; message: string };
  /** False when this failure sent the event to the dead-letter list. */
  willRetry: boolean;
}

/** An event a rule's target never took. */
export interface DeadLetter {
  rule: string;
  event: EventBridgeEvent;
  attempts: number;
  reason: 'RETRIES_EXHAUSTED' | 'MAXIMUM_EVENT_AGE';
  lastError: { name: string; message: string };
  /** Virtual epoch ms. */
  at: number;
}

/** The clock deliveries run on: a `VirtualClock`; `hold` (when there) keeps time still while a target runs. */
export type DeliveryClock = SchedulingClock & { hold?(): () => void };

export interface DeliveryOptions {
  clock: DeliveryClock;
  backoff?: Partial<RetryBackoff>;
  /** Jitter source; a constant makes backoff reproducible. */
  random?: () => number;
  /** How many failures to keep (oldest dropped first). */
  maxFailures?: number;
}

function errorOf(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

interface Rule extends Subscription {
  readonly target: EventTarget;
}

export class EventDelivery {
  private readonly rules = new Map<string, Rule>();
  private readonly failureLog: RingBuffer<DeliveryFailure>;
  private readonly deadLetterList: DeadLetter[] = [];
  private readonly backoff: RetryBackoff;
  private readonly random: () => number;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private generatedNames = 0;

  constructor(private readonly options: DeliveryOptions) {
    this.backoff = { ...defaultRetryBackoff, ...options.backoff };
    this.random = options.random ?? Math.random;
    this.failureLog = new RingBuffer(options.maxFailures ?? 1000);
  }

  /** Adds a rule; throws a ValidationError for an invalid pattern, an Error for a duplicate name. */
  subscribe(pattern: unknown, target: EventTarget, options: SubscribeOptions = {}): Subscription {
    const compiled = compileEventPattern(pattern);
    const name = options.name ?? `local-rule-${++this.generatedNames}`;
    const eventBusName = busNameOf(options.eventBus);
    const key = `${eventBusName}/${name}`;
    if (this.rules.has(key)) throw new Error(`Rule ${name} already exists on EventBus ${eventBusName}.`);
    const rule: Rule = {
      name,
      eventBusName,
      ...(options.description !== undefined && { description: options.description }),
      pattern: compiled,
      retryPolicy: { ...defaultRetryPolicy, ...options.retryPolicy },
      target,
      unsubscribe: () => {
        if (this.rules.get(key) === rule) this.rules.delete(key);
      },
    };
    this.rules.set(key, rule);
    return rule;
  }

  /** Every rule, in the order they were added. */
  list(): Subscription[] {
    return [...this.rules.values()];
  }

  /** Starts delivering `event` (put on `eventBusName`) to every matching rule. */
  route(eventBusName: string, event: EventBridgeEvent): void {
    for (const rule of this.rules.values()) {
      if (rule.eventBusName === eventBusName && rule.pattern.matches(event)) {
        this.attempt(rule, event, 1, this.options.clock.now());
      }
    }
  }

  failures(): DeliveryFailure[] {
    return this.failureLog.toArray();
  }

  deadLetters(): DeadLetter[] {
    return [...this.deadLetterList];
  }

  /** Resolves once no target is running (retries scheduled on the clock are not waited for). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private attempt(rule: Rule, event: EventBridgeEvent, attempt: number, firstAt: number): void {
    this.inFlight++;
    const release = this.options.clock.hold?.();
    // structuredClone: a target that mutates its event must not change what other targets or the log see.
    Promise.resolve()
      .then(() => rule.target(structuredClone(event)))
      .then(
        () => undefined,
        (error: unknown) => this.failed(rule, event, attempt, firstAt, errorOf(error)),
      )
      .finally(() => {
        release?.();
        this.inFlight--;
        if (this.inFlight === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const resolve of waiters) resolve();
        }
      });
  }

  private failed(
    rule: Rule,
    event: EventBridgeEvent,
    attempt: number,
    firstAt: number,
    error: { name: string; message: string },
  ): void {
    const now = this.options.clock.now();
    const delay = this.delayBefore(attempt);
    const retriesLeft = attempt <= rule.retryPolicy.maximumRetryAttempts;
    const tooOld = now + delay - firstAt > rule.retryPolicy.maximumEventAgeInSeconds * 1000;
    const willRetry = retriesLeft && !tooOld;
    this.failureLog.push({ eventId: event.id, rule: rule.name, attempt, at: now, error, willRetry });
    if (willRetry) {
      this.options.clock.schedule(now + delay, () => this.attempt(rule, event, attempt + 1, firstAt));
      return;
    }
    this.deadLetterList.push({
      rule: rule.name,
      event,
      attempts: attempt,
      reason: retriesLeft ? 'MAXIMUM_EVENT_AGE' : 'RETRIES_EXHAUSTED',
      lastError: error,
      at: now,
    });
  }

  /** The pause before retry number `retry` (1-based). */
  private delayBefore(retry: number): number {
    const ceiling = Math.min(this.backoff.maxDelayMs, this.backoff.baseDelayMs * 2 ** (retry - 1));
    return Math.round(ceiling * (0.5 + this.random() / 2));
  }
}

/**
 * ListRules and DescribeRule over the rules the local EventBridge routes
 * with (the `eventBridge` events of `serverless.yml`, and any subscription),
 * so `aws events list-rules` shows what a deployment would create.
 */
import type { Subscription } from './delivery.js';
import { busNameOf, EventsError } from './protocol.js';

export interface RuleLocation {
  region: string;
  accountId: string;
}

/** `arn:aws:events:<region>:<account>:rule/[<bus>/]<name>`: custom buses appear in the ARN. */
function ruleArn(rule: Pick<Subscription, 'name' | 'eventBusName'>, at: RuleLocation): string {
  const bus = rule.eventBusName === 'default' ? '' : `${rule.eventBusName}/`;
  return `arn:aws:events:${at.region}:${at.accountId}:rule/${bus}${rule.name}`;
}

function describe(rule: Subscription, at: RuleLocation) {
  return {
    Name: rule.name,
    Arn: ruleArn(rule, at),
    EventPattern: JSON.stringify(rule.pattern.pattern),
    State: 'ENABLED',
    ...(rule.description !== undefined && { Description: rule.description }),
    EventBusName: rule.eventBusName,
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** ListRules: by bus and name prefix, `Limit` (1–100) per page, an opaque index as `NextToken`. */
export function listRules(rules: readonly Subscription[], input: Record<string, unknown>, at: RuleLocation) {
  const bus = busNameOf(text(input.EventBusName));
  const prefix = text(input.NamePrefix) ?? '';
  const limit = typeof input.Limit === 'number' ? input.Limit : 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new EventsError(
      'ValidationException',
      `1 validation error detected: Value '${String(input.Limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`,
    );
  }
  const start = input.NextToken === undefined ? 0 : Number.parseInt(String(input.NextToken), 10);
  if (!Number.isInteger(start) || start < 0)
    throw new EventsError('ValidationException', 'The NextToken is not valid.');
  const matching = rules.filter((r) => r.eventBusName === bus && r.name.startsWith(prefix));
  const page = matching.slice(start, start + limit);
  const next = start + limit < matching.length ? { NextToken: String(start + limit) } : {};
  return { Rules: page.map((r) => describe(r, at)), ...next };
}

/** DescribeRule: `ResourceNotFoundException` for a rule the bus does not have. */
export function describeRule(
  rules: readonly Subscription[],
  input: Record<string, unknown>,
  at: RuleLocation,
) {
  const name = text(input.Name);
  if (name === undefined) {
    throw new EventsError(
      'ValidationException',
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  }
  const bus = busNameOf(text(input.EventBusName));
  const rule = rules.find((r) => r.eventBusName === bus && r.name === name);
  if (!rule)
    throw new EventsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
  return { ...describe(rule, at), CreatedBy: at.accountId };
}

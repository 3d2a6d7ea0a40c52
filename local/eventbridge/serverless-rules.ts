/**
 * The EventBridge rules `serverless.yml` declares: each function's
 * `events[].eventBridge` with a `pattern`, on its `eventBus` (a name, an
 * ARN, or `!Ref`/`!GetAtt` of an `AWS::Events::EventBus` resource). The
 * local stack subscribes each function's handler with its pattern, so a
 * function runs locally for exactly the events that would trigger it on AWS.
 *
 * Schedules (`schedule:` without `pattern`) are not routed. `input`,
 * `inputPath` and `inputTransformer` are refused rather than ignored: the
 * handler would receive another event locally than on AWS.
 */
import { type DeploymentTarget, resolveVariables } from '../serverless-variables.js';
import { functionNameOf, type ServerlessFunction, type ServerlessYml } from '../serverless-yml.js';
import type { RetryPolicy, Subscription } from './delivery.js';
import type { EventBridgeService } from './eventbridge-service.js';
import { busNameOf } from './protocol.js';
import type { EventBridgeEvent } from './put-events.js';
import { unnamedRuleName } from './rule-names.js';

/** One `eventBridge` event of one function. */
export interface FunctionRule {
  /**
   * The rule name: the event's `name`, else `<function name>-rule-<n>` as the
   * Framework names it (see {@link unnamedRuleName}).
   */
  name: string;
  functionKey: string;
  /** `functions/triggers/on-event.handler` */
  handler: string;
  pattern: Record<string, unknown>;
  /** Bus name (`default` when the event names none). */
  eventBus: string;
  description?: string;
  retryPolicy?: Partial<RetryPolicy>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The bus name an `eventBus` value stands for; `!Ref` / `!GetAtt` resolve through the EventBus resource's `Name`. */
function resolveBus(value: unknown, yml: ServerlessYml, target: DeploymentTarget, where: string): string {
  if (value === undefined) return 'default';
  if (typeof value === 'string') return busNameOf(resolved(value, yml, target, where));
  if (isObject(value)) {
    const ref = value.Ref ?? (Array.isArray(value['Fn::GetAtt']) ? value['Fn::GetAtt'][0] : undefined);
    const resource = typeof ref === 'string' ? yml.resources?.Resources?.[ref] : undefined;
    if (isObject(resource) && resource.Type === 'AWS::Events::EventBus' && isObject(resource.Properties)) {
      const name = resource.Properties.Name;
      // The resource's Name may hold variables as much as the event's own value (`${self:service}-${sls:stage}-bus`).
      if (typeof name === 'string') return resolved(name, yml, target, `${where} (${ref}.Properties.Name)`);
    }
  }
  throw new Error(`${where}: cannot resolve eventBus ${JSON.stringify(value)} to a bus name`);
}

/** `value` with its Serverless variables resolved; an unresolvable one is an error saying where it is. */
function resolved(value: string, yml: ServerlessYml, target: DeploymentTarget, where: string): string {
  try {
    return resolveVariables(value, yml, target);
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function retryPolicyOf(value: unknown): Partial<RetryPolicy> | undefined {
  if (!isObject(value)) return undefined;
  return {
    ...(typeof value.maximumRetryAttempts === 'number' && {
      maximumRetryAttempts: value.maximumRetryAttempts,
    }),
    ...(typeof value.maximumEventAge === 'number' && { maximumEventAgeInSeconds: value.maximumEventAge }),
  };
}

function rulesOfFunction(
  functionKey: string,
  fn: ServerlessFunction,
  yml: ServerlessYml,
  target: DeploymentTarget,
): FunctionRule[] {
  const rules: FunctionRule[] = [];
  // The deployed Lambda's name: the function's own `name:` when it sets one.
  const ownName = (fn as { name?: unknown }).name;
  const functionName =
    typeof ownName === 'string'
      ? resolved(ownName, yml, target, `functions.${functionKey}.name`)
      : functionNameOf(yml, target.stage, functionKey);
  (fn.events ?? []).forEach((event, index) => {
    if (!('eventBridge' in event)) return;
    const spec = event.eventBridge;
    const where = `functions.${functionKey}.events[${index}].eventBridge`;
    if (!isObject(spec) || !isObject(spec.pattern)) return;
    if (spec.enabled === false) return;
    for (const unsupported of ['input', 'inputPath', 'inputTransformer']) {
      if (spec[unsupported] !== undefined)
        throw new Error(`${where}: ${unsupported} is not supported locally`);
    }
    const description = typeof spec.description === 'string' ? spec.description : undefined;
    const retryPolicy = retryPolicyOf(spec.retryPolicy);
    rules.push({
      name:
        typeof spec.name === 'string'
          ? resolved(spec.name, yml, target, `${where}.name`)
          : // Numbered among all the function's events, as the Framework counts them.
            unnamedRuleName(functionName, index + 1),
      functionKey,
      handler: fn.handler,
      pattern: spec.pattern,
      eventBus: resolveBus(spec.eventBus, yml, target, `${where}.eventBus`),
      ...(description !== undefined && { description }),
      ...(retryPolicy !== undefined && { retryPolicy }),
    });
  });
  return rules;
}

/**
 * Every function rule of `yml`, in declaration order, named as a deployment to
 * `stage` in `region` names them (Serverless variables in names resolved).
 */
export function functionRulesOf(yml: ServerlessYml, stage = 'local', region = 'us-east-1'): FunctionRule[] {
  const target = { stage, region };
  return Object.entries(yml.functions ?? {}).flatMap(([key, fn]) => rulesOfFunction(key, fn, yml, target));
}

/** Runs a function's handler with an EventBridge event (the stack loads the module and builds the Lambda context). */
export type FunctionInvoker = (rule: FunctionRule, event: EventBridgeEvent) => Promise<unknown>;

/**
 * Subscribes every rule to `service`, each delivering to `invoke`. A handler
 * that throws counts as a failed delivery (recorded, retried, dead-lettered).
 */
export function subscribeFunctionRules(
  service: Pick<EventBridgeService, 'subscribe'>,
  rules: readonly FunctionRule[],
  invoke: FunctionInvoker,
): Subscription[] {
  return rules.map((rule) =>
    service.subscribe(rule.pattern, (event) => invoke(rule, event), {
      name: rule.name,
      eventBus: rule.eventBus,
      ...(rule.description !== undefined && { description: rule.description }),
      ...(rule.retryPolicy !== undefined && { retryPolicy: rule.retryPolicy }),
    }),
  );
}

/**
 * What a Task state's `Resource` asks for, in the three shapes fleetwave's
 * ASL uses: the optimised Lambda integration (`arn:aws:states:::lambda:invoke`,
 * optionally `.waitForTaskToken`), a Lambda function ARN used directly, and
 * any other service integration (`arn:aws:states:::sns:publish`, ...).
 */

export type TaskTarget =
  /** `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: `Parameters.FunctionName` names the function. */
  | { kind: 'lambda-invoke'; resource: string; waitForTaskToken: boolean }
  /** A Lambda function ARN (or name) as the Resource: the state input is the event, the result the output. */
  | { kind: 'lambda-function'; functionArn: string }
  /** Another `arn:aws:states:::service:action` integration, resolved by its full Resource ARN. */
  | { kind: 'service'; resource: string; service: string; action: string; waitForTaskToken: boolean }
  /** Activities need workers polling GetActivityTask; the local endpoint has none. */
  | { kind: 'unsupported'; resource: string; reason: string };

const INTEGRATION = /^arn:aws[a-z-]*:states:[a-z0-9-]*:\d{0,12}:([a-zA-Z0-9-]+):([A-Za-z0-9_.:-]+)$/;
const LAMBDA_FUNCTION =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

/** Classifies a Task state's `Resource`. */
export function taskTargetOf(resource: string): TaskTarget {
  if (LAMBDA_FUNCTION.test(resource)) return { kind: 'lambda-function', functionArn: resource };
  if (/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:activity:/.test(resource)) {
    return { kind: 'unsupported', resource, reason: 'activities are not supported by the local endpoint' };
  }
  const match = INTEGRATION.exec(resource);
  if (!match) return { kind: 'unsupported', resource, reason: `unrecognised Task resource ${resource}` };
  const service = match[1]!;
  const action = match[2]!;
  const waitForTaskToken = action.endsWith('.waitForTaskToken');
  if (service === 'lambda' && (action === 'invoke' || action === 'invoke.waitForTaskToken')) {
    return { kind: 'lambda-invoke', resource, waitForTaskToken };
  }
  return { kind: 'service', resource, service, action, waitForTaskToken };
}

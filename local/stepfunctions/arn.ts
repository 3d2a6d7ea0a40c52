/**
 * Step Functions ARNs and names: how AWS builds them and which names it
 * refuses. Execution ARNs embed the state machine name, so an execution can
 * be found from its ARN alone.
 */
import { sfnError } from './errors.js';

/** Where the emulated service pretends to live. */
export interface SfnLocation {
  region: string;
  accountId: string;
}

export const stateMachineArn = (at: SfnLocation, name: string): string =>
  `arn:aws:states:${at.region}:${at.accountId}:stateMachine:${name}`;

export const executionArn = (at: SfnLocation, machineName: string, name: string): string =>
  `arn:aws:states:${at.region}:${at.accountId}:execution:${machineName}:${name}`;

const ARN_PATTERN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):(stateMachine|execution):(.+)$/;

/** Splits a Step Functions ARN; throws `InvalidArn` as AWS does for anything else. */
export function parseSfnArn(
  arn: string,
  expected: 'stateMachine' | 'execution',
): { region: string; accountId: string; machineName: string; executionName?: string } {
  const match = ARN_PATTERN.exec(arn);
  if (!match || match[3] !== expected) {
    throw sfnError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  }
  const rest = match[4]!;
  if (expected === 'stateMachine') {
    return { region: match[1]!, accountId: match[2]!, machineName: rest };
  }
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) {
    throw sfnError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  }
  return {
    region: match[1]!,
    accountId: match[2]!,
    machineName: rest.slice(0, colon),
    executionName: rest.slice(colon + 1),
  };
}

// AWS: 1-80 characters, none of whitespace, < > { } [ ], ? *, " # % \ ^ | ~ ` $ & , ; : /,
// nor control characters (U+0000-001F, U+007F-009F).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control range is exactly what AWS refuses.
const FORBIDDEN_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

/** True when AWS accepts `name` as a state machine or execution name. */
export function isValidSfnName(name: string): boolean {
  return name.length >= 1 && name.length <= 80 && !FORBIDDEN_NAME_CHARS.test(name);
}

/** Throws `InvalidName` (the AWS wording) for a name AWS refuses. */
export function assertValidSfnName(name: string): void {
  if (!isValidSfnName(name)) throw sfnError('InvalidName', `Invalid Name: '${name}'`);
}

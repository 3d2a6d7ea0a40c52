/**
 * The name the Serverless Framework (osls) gives an `eventBridge` rule that
 * names none: `<function name>-rule-<n>`, `n` the event's place (from 1)
 * among all the function's events, and past EventBridge's 64 characters the
 * first characters of that name followed by its MD5 and the suffix.
 */
import { createHash } from 'node:crypto';

/** EventBridge refuses longer rule names. */
const MAX_RULE_NAME = 64;

/** `name` cut to fit, as osls shortens it: its head (31 characters less the suffix), the MD5 of the whole, the suffix. */
function hashedName(name: string, suffix: string): string {
  return `${name.slice(0, 31 - suffix.length)}${createHash('md5').update(name).digest('hex')}-${suffix}`;
}

/** The rule name of the function's `position`-th event (from 1), `functionName` being its deployed Lambda name. */
export function unnamedRuleName(functionName: string, position: number): string {
  const suffix = `rule-${position}`;
  const name = `${functionName}-${suffix}`;
  return name.length > MAX_RULE_NAME ? hashedName(name, suffix) : name;
}

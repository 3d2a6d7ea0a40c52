/**
 * The leaf conditions of an EventBridge event pattern: what one element of a
 * pattern's value array (`"state": ["running", {"prefix": "init"}]`) means,
 * parsed once and then tested against each value the event holds at that
 * path. The semantics follow EventBridge (and AWS's open-source matcher,
 * Event Ruler):
 *
 * - a string, number, boolean or `null` matches that exact JSON value
 *   (numbers compare numerically, so `5` matches `5.0`; `null` and `""` are
 *   different values);
 * - `prefix`, `suffix`, `equals-ignore-case` and `wildcard` only ever match
 *   strings;
 * - `numeric` only matches JSON numbers;
 * - `anything-but` matches a value that is present and is not excluded; a
 *   value of another type than the excluded ones is not excluded (the number
 *   `5` passes `{"anything-but": "5"}`);
 * - `exists` is decided on whether the event has any leaf value at the path,
 *   and is handled by the caller.
 */
import { BlockList, isIP } from 'node:net';

/** A leaf value of an event: what a pattern condition is tested against. */
export type Scalar = string | number | boolean | null;

/** One parsed element of a pattern value array. */
export type Condition =
  | { readonly kind: 'exists'; readonly exists: boolean }
  | { readonly kind: 'test'; readonly test: (value: Scalar) => boolean };

/** Thrown while parsing a pattern; the caller adds the path and wraps it in a ValidationError. */
export class PatternSyntaxError extends Error {}

const fail = (reason: string): never => {
  throw new PatternSyntaxError(reason);
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const lower = (s: string): string => s.toUpperCase().toLowerCase();

/** JSON equality of two leaf values (JSON numbers are doubles: `5.0` parses as `5`). */
const sameScalar = (a: Scalar, b: Scalar): boolean => a === b;

function requireString(value: unknown, what: string): string {
  return typeof value === 'string' ? value : fail(`${what} match pattern must be a string`);
}

/**
 * A wildcard pattern as a RegExp. `*` matches zero or more characters; `\*`
 * is a literal asterisk and `\\` a literal backslash; any other escape and
 * two consecutive wildcards are refused, as EventBridge refuses them.
 */
function wildcardRegExp(pattern: string): RegExp {
  let source = '';
  let previousWasWildcard = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (previousWasWildcard) fail('Consecutive wildcard characters are not allowed');
      source += '[\\s\\S]*';
      previousWasWildcard = true;
      continue;
    }
    previousWasWildcard = false;
    let literal = ch;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') fail('Wildcard escape character must be followed by * or \\');
      literal = next!;
      i++;
    }
    source += literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** `{"prefix": "x"}` or `{"prefix": {"equals-ignore-case": "x"}}`, and the same for suffix. */
function affixTest(kind: 'prefix' | 'suffix', operand: unknown): (value: Scalar) => boolean {
  const ignoreCase = isObject(operand);
  let text: string;
  if (ignoreCase) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      fail(`Unsupported ${kind} pattern: only equals-ignore-case may be nested in ${kind}`);
    }
    text = lower(requireString(operand['equals-ignore-case'], 'equals-ignore-case'));
  } else {
    text = requireString(operand, kind);
  }
  return (value) => {
    if (typeof value !== 'string') return false;
    const subject = ignoreCase ? lower(value) : value;
    return kind === 'prefix' ? subject.startsWith(text) : subject.endsWith(text);
  };
}

/** Strings or lists of strings, for the list forms of equals-ignore-case and wildcard under anything-but. */
function stringList(operand: unknown, what: string): string[] {
  const list = Array.isArray(operand) ? operand : [operand];
  if (list.length === 0) fail(`Empty arrays are not allowed in ${what}`);
  return list.map((item) => requireString(item, what));
}

/** The predicate telling whether a value is EXCLUDED by an anything-but operand. */
function exclusion(operand: unknown): (value: Scalar) => boolean {
  if (typeof operand === 'string' || typeof operand === 'number') {
    return (value) => sameScalar(value, operand);
  }
  if (Array.isArray(operand)) {
    if (operand.length === 0) fail('Empty arrays are not allowed in anything-but');
    const allStrings = operand.every((v) => typeof v === 'string');
    const allNumbers = operand.every((v) => typeof v === 'number');
    if (!allStrings && !allNumbers) fail('Inside anything-but list, mixed types are not allowed');
    const excluded = operand as Scalar[];
    return (value) => excluded.some((e) => sameScalar(value, e));
  }
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1) fail('anything-but expression must hold exactly one operator');
    const key = keys[0]!;
    const inner = operand[key];
    switch (key) {
      case 'prefix':
      case 'suffix':
        return affixTest(key, requireString(inner, key));
      case 'equals-ignore-case': {
        const texts = stringList(inner, key).map(lower);
        return (value) => typeof value === 'string' && texts.includes(lower(value));
      }
      case 'wildcard': {
        const patterns = stringList(inner, key).map(wildcardRegExp);
        return (value) => typeof value === 'string' && patterns.some((p) => p.test(value));
      }
      default:
        return fail(`Unsupported anything-but pattern: ${key}`);
    }
  }
  return fail('Value of anything-but must be an array, a string, a number or an object');
}

const lowerOps = new Set(['>', '>=']);
const upperOps = new Set(['<', '<=']);

/** `{"numeric": [">", 0, "<=", 5]}`: one equality, or at most one lower and one upper bound. */
function numericTest(operand: unknown): (value: Scalar) => boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    return fail('Value of numeric must be an array of 1 or 2 (operator, number) pairs');
  }
  const checks: ((n: number) => boolean)[] = [];
  let lowerBound: number | undefined;
  let upperBound: number | undefined;
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const bound = operand[i + 1];
    if (typeof bound !== 'number' || !Number.isFinite(bound))
      fail('Value of numeric operator must be a number');
    const n = bound as number;
    if (op === '=') {
      if (operand.length !== 2) fail('Equality "=" cannot be combined with another numeric operator');
      checks.push((v) => v === n);
    } else if (typeof op === 'string' && lowerOps.has(op)) {
      if (lowerBound !== undefined) fail('Bad numeric range: two lower bounds');
      lowerBound = n;
      checks.push(op === '>' ? (v) => v > n : (v) => v >= n);
    } else if (typeof op === 'string' && upperOps.has(op)) {
      if (upperBound !== undefined) fail('Bad numeric range: two upper bounds');
      upperBound = n;
      checks.push(op === '<' ? (v) => v < n : (v) => v <= n);
    } else {
      fail(`Unrecognized numeric range operator: ${String(op)}`);
    }
  }
  if (lowerBound !== undefined && upperBound !== undefined && lowerBound >= upperBound) {
    fail('Bad numeric range: bottom must be less than top');
  }
  return (value) => typeof value === 'number' && checks.every((check) => check(value));
}

/** `{"cidr": "10.0.0.0/24"}` (IPv4 or IPv6): matches strings holding an address inside the block. */
function cidrTest(operand: unknown): (value: Scalar) => boolean {
  const text = requireString(operand, 'cidr');
  const match = /^(.+)\/(\d{1,3})$/.exec(text);
  const family = match ? isIP(match[1]!) : 0;
  const bits = match ? Number(match[2]) : -1;
  if (!match || family === 0 || bits > (family === 4 ? 32 : 128)) fail(`Nonstandard IP address: ${text}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const block = new BlockList();
  block.addSubnet(match![1]!, bits, type);
  return (value) => typeof value === 'string' && isIP(value) === family && block.check(value, type);
}

/** Parses one element of a pattern value array. */
export function parseCondition(element: unknown): Condition {
  if (element === null || ['string', 'number', 'boolean'].includes(typeof element)) {
    const expected = element as Scalar;
    return { kind: 'test', test: (value) => sameScalar(value, expected) };
  }
  if (!isObject(element)) return fail('Match value must be String, number, true, false, or null');
  const keys = Object.keys(element);
  if (keys.length !== 1) return fail('A match expression must hold exactly one operator');
  const key = keys[0]!;
  const operand = element[key];
  switch (key) {
    case 'exists':
      if (typeof operand !== 'boolean') fail('exists match pattern must be either true or false');
      return { kind: 'exists', exists: operand as boolean };
    case 'prefix':
    case 'suffix':
      return { kind: 'test', test: affixTest(key, operand) };
    case 'equals-ignore-case': {
      const text = lower(requireString(operand, key));
      return { kind: 'test', test: (value) => typeof value === 'string' && lower(value) === text };
    }
    case 'wildcard': {
      const regex = wildcardRegExp(requireString(operand, key));
      return { kind: 'test', test: (value) => typeof value === 'string' && regex.test(value) };
    }
    case 'anything-but': {
      const excluded = exclusion(operand);
      return { kind: 'test', test: (value) => !excluded(value) };
    }
    case 'numeric':
      return { kind: 'test', test: numericTest(operand) };
    case 'cidr':
      return { kind: 'test', test: cidrTest(operand) };
    default:
      return fail(`Unrecognized match type ${key}`);
  }
}

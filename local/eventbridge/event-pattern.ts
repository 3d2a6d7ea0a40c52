/**
 * EventBridge event patterns, evaluated the way EventBridge evaluates them,
 * so a rule a user writes against fleetwave's events (and the `eventBridge`
 * patterns in `serverless.yml`) behaves the same locally and on AWS.
 *
 * - A pattern is a JSON object; every field named must match (AND), and the
 *   value array of a field matches when any of its elements matches any
 *   value the event holds there (OR). Fields the pattern does not name are
 *   ignored.
 * - Arrays in the event are "crushed": a field inside an array of objects
 *   holds the values of every element, and nested arrays flatten. Matching is
 *   array-consistent: two fields of a pattern object are never satisfied by
 *   two different elements of the same event array.
 * - `"$or": [{...}, {...}]` (two or more objects) is an OR of sub-patterns;
 *   anything else under `$or` is an ordinary field name, as in EventBridge.
 * - `exists` looks only at leaf values: a field holding an object, or an
 *   empty array, does not exist for `exists`, and matches only
 *   `{"exists": false}`. Every other condition needs the field present.
 *
 * The leaf operators are in {@link parseCondition}.
 */

import { ValidationError } from '../../lib/domain/errors.js';
import {
  type Condition,
  PatternSyntaxError,
  parseCondition,
  type Scalar,
} from './event-pattern-conditions.js';

/** An event pattern as written: a JSON object. */
type EventPattern = { readonly [field: string]: unknown };

/** A validated pattern, ready to test events against. */
export interface CompiledEventPattern {
  /** The pattern as given. */
  readonly pattern: EventPattern;
  /** True when `event` (a parsed JSON object) matches. Anything that is not an object never matches. */
  matches(event: unknown): boolean;
}

interface ObjectNode {
  readonly kind: 'object';
  readonly fields: readonly { readonly name: string; readonly node: PatternNode }[];
  /** Each group is one `$or`: at least one alternative must match. */
  readonly orGroups: readonly (readonly ObjectNode[])[];
}

interface LeafNode {
  readonly kind: 'leaf';
  readonly conditions: readonly Condition[];
}

type PatternNode = ObjectNode | LeafNode;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A pattern error worded like EventBridge's `InvalidEventPatternException`, naming where it is. */
function patternError(reason: string, path: readonly string[]): ValidationError {
  const where = path.length === 0 ? 'pattern' : path.join('.');
  return new ValidationError(`Event pattern is not valid. Reason: ${reason} at ${where}`, [
    { path: path.join('.'), message: reason },
  ]);
}

/** `$or` is an OR only with an array of at least two objects; otherwise it is a plain field name. */
function isOrExpression(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length >= 2 && value.every(isObject);
}

function compileObject(pattern: Record<string, unknown>, path: readonly string[]): ObjectNode {
  const fields: { name: string; node: PatternNode }[] = [];
  const orGroups: ObjectNode[][] = [];
  for (const [name, value] of Object.entries(pattern)) {
    const here = [...path, name];
    if (name === '$or' && isOrExpression(value)) {
      orGroups.push(value.map((alternative, i) => compileNonEmptyObject(alternative, [...here, String(i)])));
    } else if (isObject(value)) {
      fields.push({ name, node: compileNonEmptyObject(value, here) });
    } else if (Array.isArray(value)) {
      fields.push({ name, node: compileLeaf(value, here) });
    } else {
      throw patternError('Match value must be an array or an object', here);
    }
  }
  return { kind: 'object', fields, orGroups };
}

function compileNonEmptyObject(pattern: Record<string, unknown>, path: readonly string[]): ObjectNode {
  if (Object.keys(pattern).length === 0) throw patternError('Empty objects are not allowed', path);
  return compileObject(pattern, path);
}

function compileLeaf(values: readonly unknown[], path: readonly string[]): LeafNode {
  if (values.length === 0) throw patternError('Empty arrays are not allowed', path);
  return {
    kind: 'leaf',
    conditions: values.map((element, i) => {
      if (Array.isArray(element)) throw patternError('Arrays are not allowed inside a match array', path);
      try {
        return parseCondition(element);
      } catch (error) {
        if (error instanceof PatternSyntaxError) throw patternError(error.message, [...path, String(i)]);
        throw error;
      }
    }),
  };
}

/** Elements of an event array with nested arrays flattened. */
function flatten(values: readonly unknown[]): unknown[] {
  return values.flatMap((v) => (Array.isArray(v) ? flatten(v) : [v]));
}

/** The leaf values an event holds at a field: scalars, and the scalars of (nested) arrays. */
function leafValues(value: unknown): Scalar[] {
  if (value === undefined) return [];
  const all = Array.isArray(value) ? flatten(value) : [value];
  return all.filter((v): v is Scalar => !isObject(v) && !Array.isArray(v));
}

function matchLeaf(node: LeafNode, value: unknown): boolean {
  const values = leafValues(value);
  return node.conditions.some((condition) =>
    condition.kind === 'exists' ? condition.exists === values.length > 0 : values.some(condition.test),
  );
}

function ownField(value: unknown, name: string): unknown {
  return isObject(value) && Object.hasOwn(value, name) ? value[name] : undefined;
}

function matchObject(node: ObjectNode, value: unknown): boolean {
  if (Array.isArray(value)) {
    const elements = flatten(value);
    // An empty array holds nothing: the sub-pattern sees every field as absent.
    if (elements.length === 0) return matchObject(node, undefined);
    return elements.some((element) => matchObject(node, element));
  }
  return (
    node.fields.every(({ name, node: child }) => matchNode(child, ownField(value, name))) &&
    node.orGroups.every((alternatives) => alternatives.some((alternative) => matchObject(alternative, value)))
  );
}

function matchNode(node: PatternNode, value: unknown): boolean {
  return node.kind === 'object' ? matchObject(node, value) : matchLeaf(node, value);
}

/**
 * Validates `pattern` and prepares it for matching. Throws a
 * {@link ValidationError} (`Event pattern is not valid. Reason: ...`) for a
 * pattern EventBridge would refuse: not an object, empty, a match value that
 * is not an array, an empty array, an unknown or malformed operator.
 */
export function compileEventPattern(pattern: unknown): CompiledEventPattern {
  if (!isObject(pattern)) throw patternError('Filter is not an object', []);
  const root = compileNonEmptyObject(pattern, []);
  return { pattern, matches: (event) => isObject(event) && matchObject(root, event) };
}

/** Parses pattern JSON text (as `PutRule`'s `EventPattern` carries it) and compiles it. */
export function parseEventPattern(text: string): CompiledEventPattern {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch {
    throw patternError('Filter is not valid JSON', []);
  }
  return compileEventPattern(pattern);
}

/** One-off check: does `event` match `pattern`? Compiles the pattern on every call. */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return compileEventPattern(pattern).matches(event);
}

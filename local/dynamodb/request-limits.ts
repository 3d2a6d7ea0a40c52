/**
 * DynamoDB's documented request limits, checked before dynalite sees a
 * request. dynalite validates recursively and compiles expressions with a
 * generated parser, so a request far past AWS's limits (an attribute nested
 * thousands deep, a multi-megabyte FilterExpression) overflows its stack or
 * holds the event loop for every service on the endpoint. DynamoDB refuses
 * such requests with a `ValidationException`; so does this.
 *
 * Limits (Amazon DynamoDB Developer Guide, "Quotas"; the 16 MB body limit
 * is the shared endpoint's, aws-endpoint/request-size.ts):
 * - attributes nest at most 32 levels deep;
 * - an expression (key condition, filter, condition, update, projection) is
 *   at most 4 KB.
 */

/** Levels of nested maps and lists an attribute value may have. */
const maxNestingLevels = 32;
/** Bytes an expression string may have. */
const maxExpressionBytes = 4096;

/**
 * JSON nesting past which a request cannot hold a valid attribute: the
 * deepest request shape (BatchWriteItem) puts an item at depth 6, and each
 * attribute level adds two (`{"M": {...}}`).
 */
const maxJsonDepth = 6 + 2 * (maxNestingLevels + 1) + 2;

/** A refusal, as DynamoDB words it: its error type and message. */
export interface LimitRefusal {
  readonly type: string;
  readonly message?: string;
}

const validationType = 'com.amazon.coral.validate#ValidationException';
const serializationType = 'com.amazon.coral.service#SerializationException';

/**
 * The deepest nesting of objects and arrays in `text`, counted without
 * parsing it; stops counting once past `stopAt`, so a hostile body costs
 * one linear scan at most.
 */
function jsonDepth(text: string, stopAt: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAt) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

const nestingRefusal: LimitRefusal = {
  type: validationType,
  message: 'Nesting Levels have exceeded supported limits',
};

/**
 * Walks a parsed request (whose depth {@link jsonDepth} already bounded):
 * counts map and list levels (`M`, `L`) on each path, and measures every
 * string member whose name ends in `Expression`.
 */
function checkValue(value: unknown, levels: number, key: string): LimitRefusal | undefined {
  if (typeof value === 'string') {
    if (key.endsWith('Expression')) {
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes > maxExpressionBytes) {
        return {
          type: validationType,
          message: `Invalid ${key}: Expression size has exceeded the maximum allowed size; expression size: ${bytes}`,
        };
      }
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v) => [key, v])
    : Object.entries(value as Record<string, unknown>);
  for (const [name, child] of entries) {
    const deeper = !Array.isArray(value) && (name === 'M' || name === 'L') ? levels + 1 : levels;
    if (deeper > maxNestingLevels) return nestingRefusal;
    const refusal = checkValue(child, deeper, name);
    if (refusal) return refusal;
  }
  return undefined;
}

/**
 * Checks a request body's shape and DynamoDB's limits; undefined when within them. Most requests
 * cost one scan: the body is parsed and walked only when a limit could be broken, that is when
 * it nests deeper than 32 levels of maps and lists can (each level is two levels of JSON: the
 * attribute value and its map or list) or is larger than an expression may be.
 */
export function checkRequestLimits(
  body: string,
  bytes = Buffer.byteLength(body, 'utf8'),
): LimitRefusal | undefined {
  // A request is a JSON object. Anything else, malformed JSON included, is a SerializationException
  // (dynalite would throw on `null` or a number).
  if (body.trimStart()[0] !== '{') return { type: serializationType };
  const depth = jsonDepth(body, maxJsonDepth);
  if (depth > maxJsonDepth) return nestingRefusal;
  if (depth <= 2 * maxNestingLevels && bytes <= maxExpressionBytes) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // dynalite answers malformed JSON with DynamoDB's SerializationException.
    return undefined;
  }
  return checkValue(parsed, 0, '');
}

/**
 * Request validation with AWS's wording. The IoT control plane answers a bad
 * request with InvalidRequestException and a message in the AWS validation
 * style: `1 validation error detected: Value at 'abortConfig.criteriaList.1.member.thresholdPercentage'
 * failed to satisfy constraint: Member must be at most 100` (list positions
 * 1-based, followed by `member`, as AWS writes them).
 */
import { z } from 'zod';
import { IotError } from '../errors.js';

/** A request as the router hands it over: path labels, query parameters, JSON body, headers (lower-case names). */
export interface RawRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  headers?: Record<string, string>;
}

/** Most operations read no header: theirs are dropped. */
const noHeaders = z.object({});
type NoHeaders = typeof noHeaders;

/**
 * The schemas of an operation's input, part by part. `headers` only for the
 * few members the model binds to a header (`x-amzn-principal`).
 */
export interface InputSchemas<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  H extends z.ZodType = NoHeaders,
> {
  params: P;
  query: Q;
  body: B;
  headers?: H;
}

export interface ValidInput<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  H extends z.ZodType = NoHeaders,
> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  headers: z.output<H>;
}

function awsPath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `${key + 1}.member` : String(key))).join('.');
}

/** The constraint as AWS words it: `Member must ...`. */
function constraintOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') {
    return `Member must satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
  }
  if (issue.code === 'invalid_type') return `Member must be of type ${issue.expected}`;
  return issue.message.startsWith('must') ? `Member ${issue.message}` : issue.message;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = awsPath(issue.path);
  if (path === '') return issue.message;
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
  }
  return `Value at '${path}' failed to satisfy constraint: ${constraintOf(issue)}`;
}

/** The InvalidRequestException AWS would send for these descriptions, one per problem. */
function validationErrorOf(descriptions: readonly string[]): IotError {
  const n = descriptions.length;
  const head = `${n} validation error${n === 1 ? '' : 's'} detected: `;
  return new IotError('InvalidRequestException', head + descriptions.join('; '));
}

/** The InvalidRequestException AWS would send for these issues. */
function validationError(issues: readonly z.core.$ZodIssue[]): IotError {
  return validationErrorOf(issues.map(describeIssue));
}

/** A check the schemas cannot make (it depends on the time of the request): a dotted member path and `must ...`. */
export interface ConstraintProblem {
  path: string;
  message: string;
}

/** The InvalidRequestException for problems found after the schemas passed, worded as the schemas' are. */
export function constraintError(problems: readonly ConstraintProblem[]): IotError {
  return validationErrorOf(
    problems.map((p) => `Value at '${p.path}' failed to satisfy constraint: Member ${p.message}`),
  );
}

/** Validates every part of a request and reports all problems at once, as AWS does. */
export function validateInput<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  H extends z.ZodType = NoHeaders,
>(schemas: InputSchemas<P, Q, B, H>, raw: RawRequest): ValidInput<P, Q, B, H> {
  // reportInput lets a missing member be told from a mistyped one; inputs never reach the message.
  const params = schemas.params.safeParse(raw.params, { reportInput: true });
  const query = schemas.query.safeParse(raw.query, { reportInput: true });
  const body = schemas.body.safeParse(raw.body ?? {}, { reportInput: true });
  const headers = (schemas.headers ?? noHeaders).safeParse(raw.headers ?? {}, { reportInput: true });
  const issues = [params, query, body, headers].flatMap((r) => (r.success ? [] : r.error.issues));
  if (!params.success || !query.success || !body.success || !headers.success) throw validationError(issues);
  return {
    params: params.data,
    query: query.data,
    body: body.data,
    headers: headers.data as z.output<H>,
  };
}

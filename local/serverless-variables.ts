/**
 * Serverless Framework variables in the names `serverless.yml` gives things
 * (rule names, topic names, state machine names), resolved as `sls deploy
 * --stage <stage> --region <region>` would: `${self:service}`,
 * `${self:<path>}` (e.g. `${self:provider.stage}`, `${self:custom.${sls:stage}}`),
 * `${sls:stage}`, `${opt:stage}`, `${opt:region}`, `${aws:region}`,
 * `${aws:accountId}`, `${env:NAME}`, each with optional fallbacks tried in
 * order only while the value so far is missing: another source
 * (`self:custom.y`), a variable (`${self:custom.a}`), a quoted string (`'a,b'`)
 * or a number, `true`, `false` or `null`. A variable the local stack cannot
 * know (`${ssm:...}`, `${cf:...}`) without a fallback is an error naming it:
 * a name that shows `${...}` locally would not be the deployed one.
 */
import type { ServerlessYml } from './serverless-yml.js';

/** The deployment the names are resolved for. */
export interface DeploymentTarget {
  stage: string;
  region: string;
  /** `${aws:accountId}`; the local stack's account by default. */
  accountId?: string;
  /** `${env:...}` values; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The local stack's account (as `local/endpoints.ts` names it) when the target names none. */
const LOCAL_ACCOUNT_ID = '123456789012';

/** Variables one value may resolve in all, nested and referred ones included: bounds chains that double at each step. */
const NODE_BUDGET = 1000;

/** How deep values may refer to values holding variables: beyond it they refer to each other without end. */
const MAX_DEPTH = 10;

/** The state of one resolution: the yml, the target and the work left. */
interface Resolution {
  yml: ServerlessYml;
  target: DeploymentTarget;
  nodesLeft: number;
  /** The value resolution started from, for error messages. */
  origin: string;
}

function lookup(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Walks `text` from `from` (just inside a `${`) to the `}` that closes it,
 * over nested `${...}` and quoted strings; calls `onComma` for each comma at
 * the top level. Answers the index of the closing `}`, or -1 when none closes it.
 */
function walkBody(text: string, from: number, onComma: (index: number) => void = () => {}): number {
  let depth = 1;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (ch === '}' && --depth === 0) return i;
    else if (ch === ',' && depth === 1) onComma(i);
  }
  return -1;
}

/** A variable's body split at its top-level commas: the source, then the fallbacks, trimmed. */
function termsOf(body: string): string[] {
  const cuts: number[] = [];
  // The body is walked as if inside its `${`; it has no closing brace of its own.
  walkBody(body, 0, (i) => cuts.push(i));
  const bounds = [-1, ...cuts, body.length];
  return bounds.slice(1).map((end, k) => body.slice((bounds[k] as number) + 1, end).trim());
}

/** The value of one variable source (`sls:stage`, `self:service`, ...), or undefined when it has none. */
function sourceValue(source: string, r: Resolution): unknown {
  const [kind, ...rest] = source.split(':');
  const name = rest.join(':');
  const { target } = r;
  switch (kind) {
    case 'sls':
      return name === 'stage' ? target.stage : undefined;
    case 'opt':
      return name === 'stage' ? target.stage : name === 'region' ? target.region : undefined;
    case 'aws':
      return name === 'region'
        ? target.region
        : name === 'accountId'
          ? (target.accountId ?? LOCAL_ACCOUNT_ID)
          : undefined;
    case 'self':
      return lookup(r.yml, name);
    case 'env':
      return (target.env ?? process.env)[name];
    default:
      return undefined;
  }
}

const QUOTED = /^(['"])(.*)\1$/s;
const NUMBER = /^-?\d+(\.\d+)?$/;
const LITERALS: Record<string, unknown> = { true: true, false: false, null: null };

/** One term of a variable (its source or a fallback) to its value; undefined when it has none. */
function termValue(term: string, r: Resolution, depth: number): unknown {
  const quoted = QUOTED.exec(term);
  if (quoted) return quoted[2];
  if (NUMBER.test(term)) return Number(term);
  if (term in LITERALS) return LITERALS[term];
  if (term.startsWith('${') && walkBody(term, 2) === term.length - 1)
    return variableValue(term.slice(2, -1), r, depth);
  // A source whose path holds variables of its own (`self:custom.names.${sls:stage}`).
  const value = sourceValue(resolveText(term, r, depth), r);
  // A value may hold variables of its own (`provider.stage: ${opt:stage, 'dev'}`).
  return typeof value === 'string' ? resolveText(value, r, depth + 1) : value;
}

const missing = (value: unknown) => value === undefined || value === null || value === '';

/** One variable's body (`opt:stage, 'dev'`) to its value: each fallback evaluated only when needed. */
function variableValue(body: string, r: Resolution, depth: number): unknown {
  if (--r.nodesLeft < 0)
    throw new Error(`variables in '${r.origin}' take more than ${NODE_BUDGET} steps to resolve`);
  let value: unknown;
  for (const term of termsOf(body)) {
    value = termValue(term, r, depth);
    if (!missing(value)) return value;
  }
  // `null` as the last fallback is a value the author chose.
  if (value === null) return value;
  throw new Error(`cannot resolve \${${body}} for the local stack`);
}

/** `text` with each `${...}` replaced by its value as text. */
function resolveText(text: string, r: Resolution, depth: number): string {
  if (depth > MAX_DEPTH) throw new Error(`variables in '${r.origin}' refer to each other without end`);
  let out = '';
  let at = 0;
  for (let start = text.indexOf('${'); start !== -1; start = text.indexOf('${', at)) {
    const end = walkBody(text, start + 2);
    if (end === -1) break;
    const value = variableValue(text.slice(start + 2, end), r, depth);
    if (typeof value === 'object' && value !== null)
      throw new Error(`\${${text.slice(start + 2, end)}} is not a text value`);
    out += text.slice(at, start) + String(value);
    at = end + 1;
  }
  return out + text.slice(at);
}

/** `value` with every Serverless variable replaced; throws an Error naming a variable it cannot resolve. */
export function resolveVariables(value: string, yml: ServerlessYml, target: DeploymentTarget): string {
  const resolved = resolveText(value, { yml, target, nodesLeft: NODE_BUDGET, origin: value }, 0);
  // An unclosed `${`, or one a value brought in as text: the deployed name would not be this one.
  if (resolved.includes('${')) throw new Error(`'${value}' leaves '${resolved}' with a variable unresolved`);
  return resolved;
}

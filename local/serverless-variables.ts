/**
 * Serverless Framework variables in the names `serverless.yml` gives things
 * (rule names, topic names, state machine names), resolved as `sls deploy
 * --stage <stage> --region <region>` would: `${self:service}`,
 * `${self:<path>}` (e.g. `${self:provider.stage}`), `${sls:stage}`,
 * `${opt:stage}`, `${opt:region}`, `${env:NAME}`, each with an optional
 * fallback (`${opt:stage, 'dev'}`, `${env:X, self:custom.y}`). A variable
 * the local stack cannot know (`${ssm:...}`, `${cf:...}`) is an error
 * naming it: a name that shows `${...}` locally would not be the deployed one.
 */
import type { ServerlessYml } from './serverless-yml.js';

/** The deployment the names are resolved for. */
export interface DeploymentTarget {
  stage: string;
  region: string;
  /** `${env:...}` values; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A `${...}` with no `${` inside it: the innermost variable, resolved first. */
const INNERMOST = /\$\{([^${}]+)\}/;

/** A quoted fallback: `'dev'` or `"dev"`. */
const QUOTED = /^(['"])(.*)\1$/;

function lookup(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The value of one variable source (`sls:stage`, `self:service`, ...), or undefined when it has none. */
function sourceValue(source: string, yml: ServerlessYml, target: DeploymentTarget): unknown {
  const [kind, ...rest] = source.split(':');
  const name = rest.join(':');
  switch (kind) {
    case 'sls':
      return name === 'stage' ? target.stage : undefined;
    case 'opt':
      return name === 'stage' ? target.stage : name === 'region' ? target.region : undefined;
    case 'self':
      return lookup(yml, name);
    case 'env':
      return (target.env ?? process.env)[name];
    default:
      return undefined;
  }
}

/** One variable's body (`opt:stage, 'dev'`) to its text. */
function resolveOne(body: string, yml: ServerlessYml, target: DeploymentTarget, depth: number): string {
  const [source = '', ...fallbacks] = body.split(',').map((part) => part.trim());
  let value = sourceValue(source, yml, target);
  for (const fallback of fallbacks) {
    if (value !== undefined && value !== null && value !== '') break;
    const quoted = QUOTED.exec(fallback);
    value = quoted ? quoted[2] : sourceValue(fallback, yml, target);
  }
  if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
  if (typeof value !== 'string') throw new Error(`cannot resolve \${${body}} for the local stack`);
  // A value may hold variables of its own (`provider.stage: ${opt:stage, 'dev'}`).
  return resolveWith(value, yml, target, depth + 1);
}

function resolveWith(value: string, yml: ServerlessYml, target: DeploymentTarget, depth: number): string {
  if (depth > 10) throw new Error(`variables in '${value}' refer to each other without end`);
  let text = value;
  for (let match = INNERMOST.exec(text); match; match = INNERMOST.exec(text)) {
    const resolved = resolveOne(match[1] as string, yml, target, depth);
    text = text.slice(0, match.index) + resolved + text.slice(match.index + match[0].length);
  }
  return text;
}

/** `value` with every Serverless variable replaced; throws an Error naming a variable it cannot resolve. */
export function resolveVariables(value: string, yml: ServerlessYml, target: DeploymentTarget): string {
  return resolveWith(value, yml, target, 0);
}

/**
 * The state machines `serverless.yml` deploys (`AWS::StepFunctions::StateMachine`
 * resources), read for the local stack: each machine's name, its ASL file,
 * and its `DefinitionSubstitutions` with every `!GetAtt <Fn>LambdaFunction.Arn`
 * turned into the ARN the function would have (`fleetwave-<stage>-<key>`).
 * The function behind each ARN comes from the same file's `functions`, so
 * there is no second table mapping tasks to handlers to keep in step.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveVariables } from '../serverless-variables.js';
import { functionNameOf, type ServerlessYml } from '../serverless-yml.js';

/** A function of `serverless.yml` as the local stack runs it. */
interface LocalFunction {
  /** The key under `functions`, e.g. `startWave`. */
  key: string;
  /** `functions/workflow/start-wave.handler` */
  handler: string;
  /** `fleetwave-local-startWave` */
  functionName: string;
  arn: string;
}

/** A state machine of `serverless.yml`, ready to register on the local endpoint. */
export interface LocalStateMachine {
  logicalId: string;
  name: string;
  /** The ASL text, placeholders not yet substituted. */
  definition: string;
  /** `DefinitionSubstitutions` with local values. */
  substitutions: Record<string, string>;
  /** The functions its substitutions name, by ARN. */
  functions: Map<string, LocalFunction>;
}

export interface LocalNaming {
  region: string;
  accountId: string;
  /** `local` in the local stack. */
  stage: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The logical id the Framework gives a function's `AWS::Lambda::Function`: `startWave` → `StartWaveLambdaFunction`. */
export function functionLogicalId(key: string): string {
  const normalized = key.replaceAll('-', 'Dash').replaceAll('_', 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

/** Every function of `serverless.yml` with its local name and ARN, by logical id. */
function localFunctions(yml: ServerlessYml, naming: LocalNaming): Map<string, LocalFunction> {
  return new Map(
    Object.entries(yml.functions ?? {}).map(([key, fn]) => {
      const functionName = functionNameOf(yml, naming.stage, key);
      const arn = `arn:aws:lambda:${naming.region}:${naming.accountId}:function:${functionName}`;
      return [functionLogicalId(key), { key, handler: fn.handler, functionName, arn }];
    }),
  );
}

/** The machine's name with its Serverless variables resolved; `fallback` when it names none. */
function resolveName(value: unknown, yml: ServerlessYml, naming: LocalNaming, fallback: string): string {
  return typeof value === 'string' ? resolveVariables(value, yml, naming) : fallback;
}

/** The ASL text of a machine: `Definition` (an object, or `${file(...)}`) or `DefinitionString`. */
function definitionOf(properties: Record<string, unknown>, root: string, logicalId: string): string {
  const { Definition, DefinitionString } = properties;
  const fileRef = (value: unknown) =>
    typeof value === 'string' ? /^\$\{file\(([^)]+)\)\}$/.exec(value.trim())?.[1] : undefined;
  const file = fileRef(Definition) ?? fileRef(DefinitionString);
  if (file !== undefined) {
    const path = join(root, file.replace(/^\.\//, ''));
    if (!existsSync(path)) throw new Error(`${logicalId}: definition file ${file} does not exist`);
    return readFileSync(path, 'utf8');
  }
  if (isObject(Definition)) return JSON.stringify(Definition);
  if (typeof DefinitionString === 'string') return DefinitionString;
  throw new Error(`${logicalId}: no Definition or DefinitionString the local stack can read`);
}

/** A substitution value: a plain string, or `!GetAtt <Function>LambdaFunction.Arn`. */
function substitutionValue(
  value: unknown,
  functions: Map<string, LocalFunction>,
  where: string,
): { value: string; fn?: LocalFunction } {
  if (typeof value === 'string') return { value };
  const getAtt = isObject(value) ? value['Fn::GetAtt'] : undefined;
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
    const fn = functions.get(getAtt[0]);
    if (fn) return { value: fn.arn, fn };
  }
  throw new Error(`${where}: the local stack resolves only strings and !GetAtt <Function>LambdaFunction.Arn`);
}

/** The state machines declared in `serverless.yml`'s resources. */
export function stateMachinesOf(yml: ServerlessYml, root: string, naming: LocalNaming): LocalStateMachine[] {
  const functions = localFunctions(yml, naming);
  return Object.entries(yml.resources?.Resources ?? {}).flatMap(([logicalId, resource]) => {
    if (!isObject(resource) || resource.Type !== 'AWS::StepFunctions::StateMachine') return [];
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    const used = new Map<string, LocalFunction>();
    const substitutions: Record<string, string> = {};
    const declared = isObject(properties.DefinitionSubstitutions) ? properties.DefinitionSubstitutions : {};
    for (const [name, raw] of Object.entries(declared)) {
      const { value, fn } = substitutionValue(raw, functions, `${logicalId}.DefinitionSubstitutions.${name}`);
      substitutions[name] = value;
      if (fn) used.set(fn.arn, fn);
    }
    return [
      {
        logicalId,
        name: resolveName(
          properties.StateMachineName,
          yml,
          naming,
          `${yml.service}-${naming.stage}-${logicalId}`,
        ),
        definition: definitionOf(properties, root, logicalId),
        substitutions,
        functions: used,
      },
    ];
  });
}

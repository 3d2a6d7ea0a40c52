/**
 * Reads `serverless.yml`, the deployable truth, so the local stack serves what
 * deploys (routes, handlers, timeouts) instead of a copy that drifts.
 * CloudFormation short-form intrinsics (`!Ref X`, `!GetAtt X.Arn`, `!Sub ...`)
 * become their long form (`{ Ref: 'X' }`, `{ 'Fn::GetAtt': ['X', 'Arn'] }`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CollectionTag, parse, type ScalarTag } from 'yaml';
import { z } from 'zod';

/** The repository root (where `serverless.yml` lives). */
export const projectRoot = fileURLToPath(new URL('../', import.meta.url));

const intrinsics = [
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'And',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Condition',
] as const;

function cfnTags(): (ScalarTag | CollectionTag)[] {
  const key = (name: string) => (name === 'Condition' ? 'Condition' : `Fn::${name}`);
  const tags: (ScalarTag | CollectionTag)[] = [{ tag: '!Ref', resolve: (s: string) => ({ Ref: s }) }];
  for (const name of intrinsics) {
    tags.push({
      tag: `!${name}`,
      resolve: (s: string) => ({ [key(name)]: name === 'GetAtt' ? s.split('.') : s }),
    });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag: `!${name}`,
        collection,
        resolve: (node) => ({ [key(name)]: node.toJSON() }),
      } as CollectionTag);
    }
  }
  return tags;
}

const httpApiEvent = z.union([
  z.string(),
  z
    .object({
      method: z.string(),
      path: z.string(),
      authorizer: z.object({ type: z.string().optional() }).loose().optional(),
    })
    .loose(),
]);

const functionSchema = z
  .object({
    handler: z.string(),
    timeout: z.number().optional(),
    memorySize: z.number().optional(),
    events: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .loose();

const serverlessSchema = z
  .object({
    service: z.string(),
    provider: z.object({ timeout: z.number().optional(), memorySize: z.number().optional() }).loose(),
    functions: z.record(z.string(), functionSchema).nullish(),
    resources: z
      .object({ Resources: z.record(z.string(), z.unknown()).optional() })
      .loose()
      .optional(),
  })
  .loose();

/** The parts of `serverless.yml` the local stack uses. */
export type ServerlessYml = z.infer<typeof serverlessSchema>;
export type ServerlessFunction = z.infer<typeof functionSchema>;

/** The Lambda function name the Framework deploys function `key` as: `<service>-<stage>-<key>`. */
export function functionNameOf(yml: ServerlessYml, stage: string, key: string): string {
  return `${yml.service}-${stage}-${key}`;
}

/**
 * The memory and timeout Lambda gives function `key`: its own settings, else
 * the provider's, else the Framework's defaults (1024 MB, 6 s).
 */
export function functionLimits(
  yml: ServerlessYml,
  key: string,
): { memorySize: number; timeoutSeconds: number } {
  const fn = yml.functions?.[key];
  return {
    memorySize: fn?.memorySize ?? yml.provider.memorySize ?? 1024,
    timeoutSeconds: fn?.timeout ?? yml.provider.timeout ?? 6,
  };
}

/** Parses `serverless.yml` text. */
export function parseServerlessYml(text: string): ServerlessYml {
  return serverlessSchema.parse(parse(text, { customTags: cfnTags() }));
}

/** Reads and parses `<root>/serverless.yml`. */
export async function readServerlessYml(root = projectRoot): Promise<ServerlessYml> {
  return parseServerlessYml(await readFile(join(root, 'serverless.yml'), 'utf8'));
}

/** One `httpApi` event of a function. */
export interface HttpApiEvent {
  /** Upper-cased; `*` for any. */
  method: string;
  path: string;
  /** True when the route carries the `aws_iam` authorizer (SigV4 on AWS). */
  iamAuthorizer: boolean;
}

/** A function's `httpApi` events. */
export function httpApiEvents(fn: ServerlessFunction): HttpApiEvent[] {
  return (fn.events ?? []).flatMap((event) => {
    if (!('httpApi' in event)) return [];
    const parsed = httpApiEvent.parse(event.httpApi);
    if (typeof parsed === 'string') {
      if (parsed === '*') return [{ method: '*', path: '*', iamAuthorizer: false }];
      const [method = '', path = ''] = parsed.trim().split(/\s+/);
      return [{ method: method.toUpperCase(), path, iamAuthorizer: false }];
    }
    const iamAuthorizer = parsed.authorizer?.type?.toLowerCase() === 'aws_iam';
    return [{ method: parsed.method.toUpperCase(), path: parsed.path, iamAuthorizer }];
  });
}

/**
 * The local tables come from the same declaration that deploys: every
 * `AWS::DynamoDB::Table` in `serverless.yml`'s `resources` becomes a
 * CreateTable input with the same keys, attributes and indexes. Settings
 * that only matter in AWS (point-in-time recovery, SSE, streams, TTL, tags)
 * are left out; dynalite does not model them.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { ServerlessYml } from '../serverless-yml.js';

/** The name of the local copy of `FleetwaveTable` (what `FLEETWAVE_TABLE` is set to locally). */
const LOCAL_TABLE_NAME = 'fleetwave-local';

const keySchema = z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) }));
// CloudFormation accepts numbers written as strings.
const throughput = z.object({ ReadCapacityUnits: z.coerce.number(), WriteCapacityUnits: z.coerce.number() });
const index = z.object({
  IndexName: z.string(),
  KeySchema: keySchema,
  Projection: z.object({
    ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional(),
    NonKeyAttributes: z.array(z.string()).optional(),
  }),
  ProvisionedThroughput: throughput.optional(),
});
const tableResource = z.object({
  Type: z.literal('AWS::DynamoDB::Table'),
  Properties: z.object({
    AttributeDefinitions: z.array(
      z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) }),
    ),
    KeySchema: keySchema,
    BillingMode: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']).optional(),
    ProvisionedThroughput: throughput.optional(),
    GlobalSecondaryIndexes: z.array(index).optional(),
    LocalSecondaryIndexes: z.array(index.omit({ ProvisionedThroughput: true })).optional(),
  }),
});

/** One table to create locally. */
export interface LocalTableDefinition {
  /** The CloudFormation logical id, e.g. `FleetwaveTable`. */
  logicalId: string;
  input: CreateTableCommandInput;
}

/**
 * The local name of a table resource: `FleetwaveTable` → `fleetwave-local`,
 * any other `<Name>Table` → `fleetwave-local-<name>` (kebab-case).
 */
export function localTableName(logicalId: string): string {
  const stem = logicalId
    .replace(/^Fleetwave/, '')
    .replace(/Table$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  return stem ? `${LOCAL_TABLE_NAME}-${stem}` : LOCAL_TABLE_NAME;
}

/** CreateTable inputs for every DynamoDB table declared in `serverless.yml`. */
export function tableDefinitions(serverless: ServerlessYml): LocalTableDefinition[] {
  const resources = serverless.resources?.Resources ?? {};
  return Object.entries(resources).flatMap(([logicalId, resource]) => {
    if ((resource as { Type?: unknown } | null)?.Type !== 'AWS::DynamoDB::Table') return [];
    const props = tableResource.parse(resource).Properties;
    const provisioned = props.BillingMode === 'PROVISIONED';
    const defaultThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
    const input: CreateTableCommandInput = {
      TableName: localTableName(logicalId),
      AttributeDefinitions: props.AttributeDefinitions,
      KeySchema: props.KeySchema,
      BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
      ...(provisioned && { ProvisionedThroughput: props.ProvisionedThroughput ?? defaultThroughput }),
      ...(props.GlobalSecondaryIndexes && {
        GlobalSecondaryIndexes: props.GlobalSecondaryIndexes.map((gsi) => ({
          IndexName: gsi.IndexName,
          KeySchema: gsi.KeySchema,
          Projection: gsi.Projection,
          ...(provisioned && { ProvisionedThroughput: gsi.ProvisionedThroughput ?? defaultThroughput }),
        })),
      }),
      ...(props.LocalSecondaryIndexes && { LocalSecondaryIndexes: props.LocalSecondaryIndexes }),
    };
    return [{ logicalId, input }];
  });
}

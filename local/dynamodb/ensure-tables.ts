/**
 * Creates the local tables (from `serverless.yml`) through the DynamoDB API,
 * as a deployment would, and waits until they are ACTIVE. Idempotent: a
 * table that already exists (an on-disk store reopened) is kept as it is.
 */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readServerlessYml, type ServerlessYml } from '../serverless-yml.js';
import { tableDefinitions } from './table-definitions.js';

export interface EnsureTablesOptions {
  /** The parsed `serverless.yml`; the project's own by default. */
  serverless?: ServerlessYml;
}

/** Local table names by CloudFormation logical id, e.g. `{ FleetwaveTable: 'fleetwave-local' }`. */
export type LocalTables = Record<string, string>;

export async function ensureTables(
  client: DynamoDBClient,
  options: EnsureTablesOptions = {},
): Promise<LocalTables> {
  const serverless = options.serverless ?? (await readServerlessYml());
  const tables: LocalTables = {};
  for (const { logicalId, input } of tableDefinitions(serverless)) {
    const name = input.TableName ?? logicalId;
    try {
      await client.send(new CreateTableCommand(input));
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    }
    await waitUntilActive(client, name);
    tables[logicalId] = name;
  }
  return tables;
}

/**
 * The SDK's waiter polls every 20 s at least; dynalite flips a table to
 * ACTIVE on its next timer tick, so a short poll is enough.
 */
async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}

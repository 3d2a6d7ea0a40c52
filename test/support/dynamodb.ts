/**
 * A DynamoDB for integration tests: the local stack's dynalite service on
 * its own shared AWS endpoint (127.0.0.1, a free port), with the tables
 * created from `serverless.yml`, and real SDK clients pointed at it.
 */
import type { Server } from 'node:http';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { closeServer, listen } from '../../local/aws-endpoint/listen.js';
import { createAwsEndpoint } from '../../local/aws-endpoint/router.js';
import {
  createDynamoDbService,
  type DynamoDbService,
  ensureTables,
  type LocalTables,
} from '../../local/dynamodb/index.js';

export interface TestDynamoDb {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  /** The local name of `FleetwaveTable`. */
  readonly tableName: string;
  readonly tables: LocalTables;
  readonly service: DynamoDbService;
  /** A new low-level client for this endpoint (e.g. with other retry settings). */
  newClient(config?: Partial<DynamoDBClientConfig>): DynamoDBClient;
  close(): Promise<void>;
}

export async function startTestDynamoDb(options: { path?: string } = {}): Promise<TestDynamoDb> {
  const service = createDynamoDbService(options);
  const server: Server = createAwsEndpoint([service]);
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  const newClient = (config: Partial<DynamoDBClientConfig> = {}) =>
    new DynamoDBClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' },
      ...config,
    });
  const client = newClient();
  const tables = await ensureTables(client);
  const tableName = tables.FleetwaveTable;
  if (!tableName) throw new Error('serverless.yml declares no FleetwaveTable');
  return {
    url,
    client,
    documentClient: DynamoDBDocumentClient.from(client),
    tableName,
    tables,
    service,
    newClient,
    async close() {
      client.destroy();
      await closeServer(server);
      await service.close();
    },
  };
}

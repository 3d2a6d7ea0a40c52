/**
 * The DynamoDB document client every handler shares, built once per
 * configuration. Like the IoT client, the endpoint is left to the SDK's
 * standard resolution (`AWS_ENDPOINT_URL_DYNAMODB`, then `AWS_ENDPOINT_URL`,
 * then AWS), so the same code reaches AWS or the local stack.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Config, perConfig } from '../config.js';

/** A new document client for `config` (SDK standard retries, `config.aws.maxAttempts` attempts). */
function createDynamoDbDocumentClient(config: Config): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: config.aws.maxAttempts,
    retryMode: 'standard',
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** The process's document client. */
export const dynamoDbDocumentClient: () => DynamoDBDocumentClient = perConfig(createDynamoDbDocumentClient);

/**
 * The AWS requests the release API's handlers make, sent directly through the
 * SDK: the "plain SDK" references of `bench/api.ts`. Each function makes
 * exactly the requests its route makes (counted on the local endpoint), in
 * the same order, with items of the same shape and size, and nothing else:
 * no middleware, no validation, no view.
 *
 * - `GET /releases/{id}`: one consistent Query (the release and its waves).
 * - `POST /releases` (a new release): a consistent Query (is it a repeat?),
 *   DescribeJobTemplate with its slot in the IoT call budget (a conditional
 *   UpdateItem that restarts an idle schedule; under load it fails and a
 *   second moves the busy schedule on), DescribeThingGroup of the group the
 *   body names with its own slot, the conditional PutItem of the release, the conditional PutItem of its first history event,
 *   StartExecution.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeJobTemplateCommand, DescribeThingGroupCommand, IoTClient } from '@aws-sdk/client-iot';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../lib/config.js';
import { parseReleaseRequest } from '../../lib/domain/release-request.js';
import type { LocalStack } from '../../local/endpoints.js';

const credentials = { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' };

/** The body of `POST /releases` for `releaseId`: one wave over the `fleet` thing group. */
export function releaseBody(releaseId: string, jobTemplateId: string): string {
  return JSON.stringify({
    releaseId,
    jobTemplateId,
    targets: { thingGroups: ['fleet'] },
    waves: [{ targets: { thingGroups: ['fleet'] } }],
  });
}

export interface ReleaseApiCalls {
  /** GET's request. */
  getRelease(releaseId: string): Promise<Record<string, unknown>[]>;
  /** POST's requests for a new release; StartExecution on `stateMachineArn`. */
  createRelease(releaseId: string, stateMachineArn: string): Promise<void>;
  /**
   * A state machine whose executions end at once (one Succeed state): what a
   * release's StartExecution starts when the figure must not include the
   * release workflow's own work.
   */
  createQuietStateMachine(): Promise<string>;
  destroy(): void;
}

/** Plain SDK clients on the stack's endpoint (SDK defaults, as the handlers' clients). */
export function releaseApiCalls(stack: LocalStack, jobTemplateId: string): ReleaseApiCalls {
  // The handlers' own settings: whether IoT calls are budgeted, and the request time (the stack's clock).
  const budgeted = config().iotCallsPerSecond !== 'off';
  const requestTime = stack.clock.now();
  const base = { endpoint: stack.awsUrl, region: stack.region, credentials };
  const dynamo = new DynamoDBClient(base);
  const documents = DynamoDBDocumentClient.from(dynamo);
  const iot = new IoTClient(base);
  const sfn = new SFNClient(base);
  const TableName = stack.dynamodb.tableName;
  // The request with its defaults filled in, validated once here, outside every timed call.
  const request = parseReleaseRequest(JSON.parse(releaseBody('bench', jobTemplateId)));
  const query = (releaseId: string) =>
    documents.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :sk',
        ExpressionAttributeValues: { ':pk': `RELEASE#${releaseId}`, ':sk': 'RELEASE' },
        ConsistentRead: true,
      }),
    );
  // The budget's two updates, on a schedule item of the loop's own (the handler's stays untouched).
  const budgetItem = {
    TableName,
    Key: { pk: 'IOTBUDGET#bench-loop', sk: 'IOTBUDGET' },
    ExpressionAttributeNames: { '#next': 'nextCallAt' },
  };
  const takeBudgetSlot = async (now: number) => {
    try {
      await documents.send(
        new UpdateCommand({
          ...budgetItem,
          UpdateExpression: 'SET #next = :restarted',
          ConditionExpression: 'attribute_not_exists(#next) OR #next < :now OR #next > :stale',
          ExpressionAttributeValues: { ':restarted': now, ':now': now, ':stale': now + 3_600_000 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await documents.send(
        new UpdateCommand({
          ...budgetItem,
          UpdateExpression: 'SET #next = #next + :interval',
          ConditionExpression: '#next >= :now AND #next <= :stale',
          ExpressionAttributeValues: { ':interval': 125, ':now': now, ':stale': now + 3_600_000 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
    }
  };
  let seq = 0;

  return {
    async getRelease(releaseId) {
      return (await query(releaseId)).Items ?? [];
    },
    async createRelease(releaseId, stateMachineArn) {
      const now = new Date().toISOString();
      const eventSeq = `${String(++seq).padStart(20, '0')}-R-000001`;
      await query(releaseId);
      if (budgeted) await takeBudgetSlot(requestTime);
      await iot.send(new DescribeJobTemplateCommand({ jobTemplateId }));
      // The one thing group the body names, looked up before anything is stored.
      if (budgeted) await takeBudgetSlot(requestTime);
      await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'fleet' }));
      await documents.send(
        new PutCommand({
          TableName,
          Item: {
            pk: `RELEASE#${releaseId}`,
            sk: 'RELEASE',
            gsi1pk: 'STATUS#PENDING',
            gsi1sk: `${now}#${releaseId}`,
            statusEventSeq: eventSeq,
            ...request,
            releaseId,
            status: 'PENDING',
            version: 1,
            requestHash: 'f'.repeat(64),
            createdAt: now,
            updatedAt: now,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await documents.send(
        new PutCommand({
          TableName,
          Item: {
            pk: `RELEASE#${releaseId}`,
            sk: `EVENT#${now}#${eventSeq}`,
            releaseId,
            type: 'RELEASE_CREATED',
            at: now,
            seq: eventSeq,
            to: 'PENDING',
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await sfn.send(
        new StartExecutionCommand({ stateMachineArn, name: releaseId, input: JSON.stringify({ releaseId }) }),
      );
    },
    async createQuietStateMachine() {
      const out = await sfn.send(
        new CreateStateMachineCommand({
          name: 'fleetwave-bench-quiet',
          definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
          roleArn: `arn:aws:iam::${stack.accountId}:role/fleetwave-bench`,
        }),
      );
      if (!out.stateMachineArn) throw new Error('CreateStateMachine answered no ARN');
      return out.stateMachineArn;
    },
    destroy() {
      dynamo.destroy();
      iot.destroy();
      sfn.destroy();
    },
  };
}

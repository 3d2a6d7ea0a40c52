/**
 * The DynamoDB calls the release repository is made of: consistent reads,
 * version-checked puts, idempotent history puts, and paginated queries,
 * each translating SDK errors into domain errors. Every write is one item
 * (dynalite has no transactions, and the design needs none).
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { HistoryEvent } from '../domain/release.js';
import { type Instant, toEpochMs } from '../domain/wave-evaluation.js';
import { fromDynamoDbError, isConditionFailed } from './dynamodb-errors.js';
import { eventKey, type ItemKey } from './release-repository-items.js';

/** What the repository needs to know. */
export interface ReleaseRepositoryConfig {
  tableName: string;
  /** The time source (epoch ms); the wall clock by default, the virtual clock locally. */
  clock?: { now(): number };
  /** The `Retry-After` of a ThrottledError; 1 s by default. */
  throttleRetryAfterSeconds?: number;
}

type Item = Record<string, unknown>;

/** JSON round trip: drops undefined members at every depth (the document client refuses them). */
function storable(item: Item): Item {
  return JSON.parse(JSON.stringify(item)) as Item;
}

export class ReleaseTable {
  readonly tableName: string;
  private readonly clock: { now(): number };
  private readonly retryAfterSeconds: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    config: ReleaseRepositoryConfig,
  ) {
    this.tableName = config.tableName;
    this.clock = config.clock ?? { now: () => Date.now() };
    this.retryAfterSeconds = config.throttleRetryAfterSeconds ?? 1;
  }

  /** ISO-8601 of `at`, or of now. */
  iso(at?: Instant): string {
    return new Date(at === undefined ? this.clock.now() : toEpochMs(at)).toISOString();
  }

  private async call<T>(resourceId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw fromDynamoDbError(error, { resourceId, retryAfterSeconds: this.retryAfterSeconds });
    }
  }

  /** A strongly consistent read of one item. */
  async get(resourceId: string, key: ItemKey): Promise<Item | undefined> {
    const out = await this.call(resourceId, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return out.Item;
  }

  /**
   * Writes `item` if the stored item still has `expectedVersion` (0: if there
   * is no item). False when another writer got there first: the caller reads
   * again and decides anew.
   */
  async putIfVersion(resourceId: string, item: Item, expectedVersion: number): Promise<boolean> {
    const condition =
      expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': expectedVersion },
          };
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: storable(item), ...condition }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw fromDynamoDbError(error, { resourceId, retryAfterSeconds: this.retryAfterSeconds });
    }
  }

  /**
   * Stores a history event once: writing the same event again (a retried
   * task, a repair) keeps one copy. True when this call wrote it.
   */
  putEvent(event: HistoryEvent): Promise<boolean> {
    return this.putIfVersion(
      event.releaseId,
      { ...eventKey(event.releaseId, event.at, event.seq), ...event },
      0,
    );
  }

  /**
   * Writes the events of a change that is already stored. Best effort: the
   * change stands whatever happens here, so a failure (a throttle) must not
   * turn its caller's answer into an error; the event is not lost either, as
   * the item's next change, the release's end and a restart write it again
   * from the record (docs/data-model.md, "History never loses a step").
   */
  async putEventsOfStoredChange(
    events: readonly HistoryEvent[],
    repair?: () => Promise<unknown>,
  ): Promise<void> {
    try {
      for (const event of events) await this.putEvent(event);
      await repair?.();
    } catch {
      // Recovered from the record later, as said above.
    }
  }

  /**
   * Queries until `want` items are read or the results end, across
   * DynamoDB's 1 MB pages (a page can hold fewer items than asked for).
   */
  async query(
    resourceId: string,
    input: Omit<QueryCommandInput, 'TableName'>,
    want: number,
  ): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined = input.ExclusiveStartKey;
    do {
      const out = await this.call(resourceId, () =>
        this.client.send(
          new QueryCommand({
            ...input,
            TableName: this.tableName,
            ...(Number.isFinite(want) && { Limit: want - items.length }),
            ...(start && { ExclusiveStartKey: start }),
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length < want);
    return items;
  }
}

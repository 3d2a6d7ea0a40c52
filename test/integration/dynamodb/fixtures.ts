/** Shared pieces of the release repository tests. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { ReleaseRepository } from '../../../lib/adapters/release-repository.js';
import {
  parseReleaseRequest,
  type ReleaseRequest,
  type ReleaseRequestInput,
} from '../../../lib/domain/release-request.js';
import { countsFromJobProcessDetails, type JobProcessCounts } from '../../../lib/domain/wave-progress.js';
import { startTestDynamoDb, type TestDynamoDb } from '../../support/dynamodb.js';

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(public ms = Date.parse('2026-03-01T10:00:00.000Z')) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

let serial = 0;
/** A release id no other test uses. */
export function uniqueId(prefix = 'rel'): string {
  serial += 1;
  return `${prefix}-${process.pid}-${serial}`;
}

export function releaseRequest(
  releaseId: string,
  overrides: Partial<ReleaseRequestInput> = {},
): ReleaseRequest {
  return parseReleaseRequest({
    releaseId,
    jobTemplateId: 'firmware-2-4-1',
    targets: { thingGroups: ['sensors'] },
    waves: [{ percentage: 10 }, { percentage: 50, requireApproval: true }, { percentage: 100 }],
    ...overrides,
  });
}

export function counts(partial: Partial<JobProcessCounts>): JobProcessCounts {
  return countsFromJobProcessDetails(partial);
}

/** A document client that counts the commands it sends, by command name. */
export function countingClient(inner: DynamoDBDocumentClient): {
  client: DynamoDBDocumentClient;
  sent: string[];
} {
  const sent: string[] = [];
  const client = {
    send(command: { constructor: { name: string } }) {
      sent.push(command.constructor.name);
      return (inner.send as (c: unknown) => Promise<unknown>)(command);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, sent };
}

export function repository(
  db: TestDynamoDb,
  clock: ManualClock,
  client = db.documentClient,
): ReleaseRepository {
  return new ReleaseRepository(client, { tableName: db.tableName, clock });
}

/**
 * Starts a local DynamoDB for the enclosing `describe` (closed after it) and
 * gives its repository, reading `clock`.
 */
export function useRepository(clock: ManualClock): {
  readonly db: TestDynamoDb;
  readonly repo: ReleaseRepository;
} {
  let db: TestDynamoDb | undefined;
  let repo: ReleaseRepository | undefined;
  beforeAll(async () => {
    db = await startTestDynamoDb();
    repo = repository(db, clock);
  });
  afterAll(async () => {
    await db?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the test DynamoDB is not started yet');
    return value;
  };
  return {
    get db() {
      return started(db);
    },
    get repo() {
      return started(repo);
    },
  };
}

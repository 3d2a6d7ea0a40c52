/**
 * Who did what, end to end through REST on the local stack started with
 * `FLEETWAVE_LOCAL_AUTH=sigv4` and a second key pair
 * (`FLEETWAVE_LOCAL_SIGV4_KEYS`): each access key is its own caller, as each
 * IAM principal is on AWS. A wave that asks for a second person refuses its
 * creator's approval (403, nothing changed) and takes another key's; the
 * history names the actor of every item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../cli/api/http-fetch.js';
import { sigV4Fetch } from '../../cli/api/sigv4-fetch.js';
import type { LocalStack } from '../../local/endpoints.js';
import { fixedProfile } from '../support/fleet.js';
import { runUntilRead, useWorkflowStack } from '../support/workflow.js';
import { releaseRequest } from './releases-support.js';

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The stack's own pair, read before the stack starts (it then gives its handlers a dummy pair). */
const creator: Key =
  process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY }
    : { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' };
const colleague: Key = { accessKeyId: 'AKIDSECONDAPPROVER', secretAccessKey: 'second-approver-secret' };

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: an API answer as JSON
  json: any;
}

/** One REST call signed with `key`, as the CLI's `--sigv4` signs it. */
async function signed(stack: LocalStack, key: Key, method: string, path: string, body?: unknown) {
  const fetch = sigV4Fetch(httpFetch, { region: stack.region, credentials: async () => key });
  const answer = await fetch(new URL(path, stack.apiUrl), {
    method,
    headers: {
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await answer.text();
  return { status: answer.status, json: text ? JSON.parse(text) : undefined } satisfies Answer;
}

describe('who did what, with two SigV4 callers', () => {
  const saved: Record<string, string | undefined> = {};
  // Registered before the stack's own beforeAll: it starts with these settings, as `npm start` would.
  beforeAll(() => {
    for (const name of ['FLEETWAVE_LOCAL_AUTH', 'FLEETWAVE_LOCAL_SIGV4_KEYS'])
      saved[name] = process.env[name];
    process.env.FLEETWAVE_LOCAL_AUTH = 'sigv4';
    process.env.FLEETWAVE_LOCAL_SIGV4_KEYS = `${colleague.accessKeyId}:${colleague.secretAccessKey}`;
  });
  const env = useWorkflowStack({
    fleet: { size: 10, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 2, runSeconds: 30 }),
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  /** A two-wave release `creator` creates, whose gate after wave 1 asks for a second person, at that gate. */
  async function atTheGate(releaseId: string): Promise<Answer> {
    const { stack } = env();
    const created = await signed(
      stack,
      creator,
      'POST',
      '/releases',
      releaseRequest({
        releaseId,
        waves: [
          { percentage: 50, requireApproval: true, approval: { distinctFromCreator: true } },
          { percentage: 100 },
        ],
      }),
    );
    expect(created.status).toBe(202);
    expect(created.json.release).toMatchObject({ createdBy: creator.accessKeyId });
    return runUntilRead(
      stack,
      () => signed(stack, creator, 'GET', `/releases/${releaseId}`),
      (view) => view.json?.release?.status === 'WAITING_APPROVAL',
      `${releaseId}: the gate`,
    );
  }

  it("answers 403 to the creator's own approval and changes nothing; another access key's approval is 200", async () => {
    const { stack } = env();
    const gated = await atTheGate('second-person');

    const own = await signed(stack, creator, 'POST', '/releases/second-person/approve', { comment: 'mine' });
    expect(own.status).toBe(403);
    expect(own.json).toMatchObject({ code: 'ForbiddenError' });
    expect(own.json.message).toContain('someone other than its creator');
    const unchanged = await signed(stack, creator, 'GET', '/releases/second-person');
    expect(unchanged.json).toEqual(gated.json);

    const other = await signed(stack, colleague, 'POST', '/releases/second-person/approve', {
      comment: 'checked the canary',
    });
    expect(other.status).toBe(200);
    expect(other.json.release).toMatchObject({
      status: 'IN_PROGRESS',
      createdBy: creator.accessKeyId,
      statusActor: colleague.accessKeyId,
      statusReason: `Approved after wave 1 by ${colleague.accessKeyId}: checked the canary`,
    });
    expect(other.json.waves[0]).toMatchObject({ approvedBy: colleague.accessKeyId });

    await runUntilRead(
      stack,
      () => signed(stack, creator, 'GET', '/releases/second-person'),
      (view) => view.json?.release?.status === 'SUCCEEDED',
      'second-person: SUCCEEDED',
    );
    const history = await signed(stack, colleague, 'GET', '/releases/second-person/history?limit=500');
    expect(history.status).toBe(200);
    const items: { type: string; to?: string; actor?: string }[] = history.json.items;
    // Every item names its actor; the two people did two things, the workflow everything else.
    expect(items.every((e) => typeof e.actor === 'string' && e.actor !== '')).toBe(true);
    const byPeople = items.filter((e) => e.actor !== 'fleetwave');
    expect(byPeople.map((e) => [e.type, e.to, e.actor])).toEqual([
      ['RELEASE_CREATED', 'PENDING', creator.accessKeyId],
      ['RELEASE_STATUS_CHANGED', 'IN_PROGRESS', colleague.accessKeyId],
    ]);
    const types = new Set(items.filter((e) => e.actor === 'fleetwave').map((e) => e.type));
    expect(types).toEqual(
      new Set(['RELEASE_STATUS_CHANGED', 'WAVE_STATUS_CHANGED', 'WAVE_PROGRESS', 'NOTIFICATION']),
    );
  });

  it('the creator may still reject, and a cancel names who canceled on the release and its waves', async () => {
    const { stack } = env();
    await atTheGate('own-reject');
    const rejected = await signed(stack, creator, 'POST', '/releases/own-reject/reject', { comment: 'no' });
    expect(rejected.status).toBe(200);
    expect(rejected.json.release).toMatchObject({ status: 'CANCELED', statusActor: creator.accessKeyId });
    expect(rejected.json.waves[1]).toMatchObject({ status: 'CANCELED', statusActor: creator.accessKeyId });

    await atTheGate('other-cancel');
    const canceled = await signed(stack, colleague, 'POST', '/releases/other-cancel/cancel', {});
    expect(canceled.status).toBe(200);
    expect(canceled.json.release).toMatchObject({ status: 'CANCELED', statusActor: colleague.accessKeyId });
    const history = await signed(stack, creator, 'GET', '/releases/other-cancel/history?limit=500');
    const canceledItems = history.json.items.filter((e: { to?: string }) => e.to === 'CANCELED');
    expect(canceledItems.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
      ['RELEASE_STATUS_CHANGED', colleague.accessKeyId],
      ['WAVE_STATUS_CHANGED', colleague.accessKeyId],
    ]);
  });
});

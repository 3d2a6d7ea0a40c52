/**
 * A wave's executions with in-memory fakes: pages that cross a wave's jobs,
 * short and empty IoT pages, describes a few at a time and by attempt, a
 * throttled describe that keeps its page, and the page tokens refused.
 */
import { describe, expect, it } from 'vitest';
import { ThrottledError, ValidationError } from '../../../lib/domain/errors.js';
import { followUpJobId } from '../../../lib/domain/wave-halt.js';
import { LIST_CALLS_PER_PAGE, listWaveExecutions } from '../../../lib/releases/wave-executions.js';
import { FakeExecutionReader, things } from './fake-execution-reader.js';
import { fakes, releaseBody } from './fakes.js';

/** Releases `r` and `s` of two waves; r's wave 1 ran job `r-w01` then its follow-up `r-w01-r1`. */
function setUp() {
  const { store } = fakes();
  for (const id of ['r', 's']) {
    store.seed(
      { ...releaseBody(), releaseId: id, waves: [{ percentage: 10 }, { percentage: 100 }] },
      'FAILED',
      [
        {
          status: 'SUCCEEDED',
          jobId: `${id}-w01`,
          ...(id === 'r' && { followUpJobIds: [followUpJobId(id, 1, 1)] }),
        },
        { status: 'FAILED', jobId: `${id}-w02` },
      ],
    );
  }
  const reader = new FakeExecutionReader();
  return { deps: { store, executions: reader }, reader };
}

/** Every page of the wave, following its tokens, as thing names. */
async function allPages(deps: ReturnType<typeof setUp>['deps'], wave: number, maxResults: number) {
  const pages: string[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await listWaveExecutions(deps, 'r', wave, { maxResults, ...(nextToken && { nextToken }) });
    pages.push(page.items.map((e) => e.thingName));
    nextToken = page.nextToken;
  } while (nextToken);
  return pages;
}

describe('listWaveExecutions', () => {
  it('fills pages across the wave’s jobs in order, each execution once, with its details', async () => {
    const { deps, reader } = setUp();
    reader.jobs.set('r-w01', things('a', 4, 'SUCCEEDED'));
    reader.jobs.set('r-w01-r1', things('b', 3, 'FAILED', { reason: 'flash' }));
    expect(await allPages(deps, 1, 3)).toEqual([['a-0', 'a-1', 'a-2'], ['a-3', 'b-0', 'b-1'], ['b-2']]);
    const failed = await listWaveExecutions(deps, 'r', 1, { status: 'FAILED' });
    expect(failed.items.map((e) => [e.thingName, e.statusDetails])).toEqual([
      ['b-0', { reason: 'flash' }],
      ['b-1', { reason: 'flash' }],
      ['b-2', { reason: 'flash' }],
    ]);
  });

  it('fills a page from IoT’s short pages, and answers short with a token past its list calls', async () => {
    const { deps, reader } = setUp();
    reader.jobs.set('r-w02', things('c', 20, 'FAILED'));
    reader.pageCap = 2;
    const page = await listWaveExecutions(deps, 'r', 2, { maxResults: 5 });
    expect(page.items.map((e) => e.thingName)).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4']);
    expect(reader.listed).toHaveLength(3);
    reader.pageCap = 1;
    const short = await listWaveExecutions(deps, 'r', 2, { maxResults: 10 });
    expect(short.items).toHaveLength(LIST_CALLS_PER_PAGE);
    expect(short.nextToken).toBeDefined();
    // Paging on gives every execution once.
    reader.pageCap = 3;
    expect((await allPages(deps, 2, 7)).flat()).toEqual(things('c', 20, 'FAILED').map((e) => e.thingName));
  });

  it('does not spin on empty pages that carry a token: it answers an empty page with a token', async () => {
    const { deps, reader } = setUp();
    reader.emptyForever.add('r-w02');
    const page = await listWaveExecutions(deps, 'r', 2, {});
    expect(page.items).toEqual([]);
    expect(page.nextToken).toBeDefined();
    expect(reader.listed).toHaveLength(LIST_CALLS_PER_PAGE);
  });

  it('describes at most five executions at once, each by the attempt it listed', async () => {
    const { deps, reader } = setUp();
    reader.jobs.set('r-w02', [
      ...things('c', 39, 'FAILED'),
      { thingName: 'retried', status: 'FAILED', executionNumber: 2, statusDetails: { reason: 'second try' } },
    ]);
    const page = await listWaveExecutions(deps, 'r', 2, { maxResults: 40 });
    expect(page.items).toHaveLength(40);
    expect(reader.maxInFlight).toBe(5);
    expect(page.items.at(-1)).toMatchObject({ executionNumber: 2, statusDetails: { reason: 'second try' } });
    expect(reader.described.at(-1)).toEqual({ jobId: 'r-w02', thingName: 'retried', executionNumber: 2 });
  });

  it('keeps the page when one describe stays throttled, marking that row; a throttled list is a ThrottledError', async () => {
    const { deps, reader } = setUp();
    reader.jobs.set('r-w02', things('c', 3, 'FAILED', { reason: 'disk' }));
    reader.throttledThings.add('c-1');
    const page = await listWaveExecutions(deps, 'r', 2, {});
    expect(page.items.map((e) => [e.thingName, e.statusDetails, e.detailsUnavailable])).toEqual([
      ['c-0', { reason: 'disk' }, undefined],
      ['c-1', undefined, true],
      ['c-2', { reason: 'disk' }, undefined],
    ]);
    reader.throttleLists = true;
    await expect(listWaveExecutions(deps, 'r', 2, {})).rejects.toBeInstanceOf(ThrottledError);
  });
});

describe('execution page tokens', () => {
  /** A token of release r, wave 1, pointing into its first job. */
  async function tokenOfWave1(deps: ReturnType<typeof setUp>['deps'], reader: FakeExecutionReader) {
    reader.jobs.set('r-w01', things('a', 4, 'SUCCEEDED'));
    const { nextToken } = await listWaveExecutions(deps, 'r', 1, { maxResults: 2 });
    if (!nextToken) throw new Error('expected a token');
    return nextToken;
  }

  const decoded = (token: string) => JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  const encoded = (json: unknown) => Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');

  it('refuses a token of another wave, another release, another filter, or garbage', async () => {
    const { deps, reader } = setUp();
    const token = await tokenOfWave1(deps, reader);
    const refusals = [
      listWaveExecutions(deps, 'r', 2, { nextToken: token }),
      listWaveExecutions(deps, 's', 1, { nextToken: token }),
      listWaveExecutions(deps, 'r', 1, { nextToken: token, status: 'FAILED' }),
      listWaveExecutions(deps, 'r', 1, { nextToken: 'not-a-token' }),
      listWaveExecutions(deps, 'r', 1, { nextToken: encoded({ j: 0, t: '2' }) }),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toBeInstanceOf(ValidationError);
    expect((await listWaveExecutions(deps, 'r', 1, { nextToken: token })).items).toHaveLength(2);
  });

  it('refuses a token edited to point at another of the wave’s jobs, rather than skipping one', async () => {
    const { deps, reader } = setUp();
    const token = await tokenOfWave1(deps, reader);
    const forged = encoded({ ...decoded(token), j: 1 });
    await expect(listWaveExecutions(deps, 'r', 1, { nextToken: forged })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

/**
 * docs/metrics.md's example, run as written against `npm start` with its
 * defaults (the demo fleet and its `demo-ota` template; only the ports are
 * the test's own, and virtual time runs faster): the release it starts
 * ends, and the metrics it lists are that release's, read from
 * `/_fleetwave/metrics`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDoc, runShellExample, shBlockOf } from './doc-blocks.js';
import { type StartedStack, startNpmStack } from './npm-start-support.js';

describe('docs/metrics.md on the default local stack', () => {
  let stack: StartedStack;
  beforeAll(async () => {
    stack = await startNpmStack(['--time-scale', '600']);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop('SIGINT');
  });

  it('the example lists the records of the release it ran, its request, start, end and wave', async () => {
    const script = shBlockOf(readDoc('docs/metrics.md'), '/_fleetwave/metrics');
    const out = await runShellExample(stack, script);
    const records = out
      .split('\n')
      .filter((line) => line.startsWith('{"recordedAt"'))
      .map((line) => JSON.parse(line) as { metrics: { name: string; values: number[] }[] });
    const names = records.flatMap((r) => r.metrics.map((m) => m.name));
    expect(names).toEqual(expect.arrayContaining(['ReleasesRequested', 'ReleasesStarted', 'WaveDuration']));
    const ended = names.filter((n) =>
      ['ReleasesSucceeded', 'ReleasesFailed', 'ReleasesCanceled'].includes(n),
    );
    expect(ended).toHaveLength(1);
    for (const name of ['ReleasesRequested', 'ReleasesStarted']) {
      expect(names.filter((n) => n === name)).toHaveLength(1);
    }
  }, 240_000);
});

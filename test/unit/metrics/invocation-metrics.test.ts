/**
 * The invocation's metrics: written once when the invocation ends, also
 * when it throws; grouped into valid EMF records (namespace, service
 * dimension, units from the catalogue, properties); nothing written outside
 * an invocation; and on stdout, without an output set, exactly the line
 * Powertools itself prints.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../lib/logger.js';
import { METRICS_NAMESPACE } from '../../../lib/metrics/catalog.js';
import { writeEmf } from '../../../lib/metrics/emf-writer.js';
import {
  invocationMetrics,
  setEmfOutput,
  withInvocationMetrics,
} from '../../../lib/metrics/invocation-metrics.js';
import { capturedEmf, TEST_STAGE } from './emf-lines.js';

const emf = capturedEmf();

describe('the metrics of an invocation', () => {
  it('are written once, when the invocation ends, as one EMF record per dimension and property set', async () => {
    const answer = await withInvocationMetrics(async () => {
      invocationMetrics.add('ReleasesStarted', 1, { properties: { releaseId: 'r1' } });
      invocationMetrics.add('WaveDuration', 90, {
        dimensions: { Outcome: 'SUCCEEDED' },
        properties: { releaseId: 'r1', waveNumber: '1' },
      });
      expect(emf.lines).toEqual([]);
      return 'done';
    });
    expect(answer).toBe('done');
    expect(emf.records()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: [['service', 'stage']],
              Metrics: [{ Name: 'ReleasesStarted', Unit: 'Count' }],
            },
          ],
        },
        releaseId: 'r1',
        service: 'fleetwave',
        stage: TEST_STAGE,
        ReleasesStarted: 1,
      },
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: [['service', 'stage', 'Outcome']],
              Metrics: [{ Name: 'WaveDuration', Unit: 'Seconds' }],
            },
          ],
        },
        releaseId: 'r1',
        waveNumber: '1',
        service: 'fleetwave',
        stage: TEST_STAGE,
        Outcome: 'SUCCEEDED',
        WaveDuration: 90,
      },
    ]);
  });

  it('are written when the invocation throws, and the error still reaches the caller', async () => {
    const failing = withInvocationMetrics(async () => {
      invocationMetrics.add('ReleasesFailed', 1, { properties: { releaseId: 'r1' } });
      throw new Error('publish failed');
    });
    await expect(failing).rejects.toThrow('publish failed');
    expect(emf.values('ReleasesFailed')).toEqual([1]);
  });

  it('keeps repeated values of a metric as EMF value arrays of at most 99, never printing a line of its own', async () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    await withInvocationMetrics(async () => {
      for (let i = 0; i < 150; i++)
        invocationMetrics.add('IotThrottles', 1, { properties: { api: 'DescribeJob' } });
    });
    expect(stdout).not.toHaveBeenCalled();
    stdout.mockRestore();
    expect(emf.records().map((r) => (r.IotThrottles as number[]).length)).toEqual([99, 51]);
    expect(emf.values('IotThrottles')).toHaveLength(150);
  });

  it('skips a value that is not a finite number, with a warning, and keeps the others', async () => {
    const warn = vi.spyOn(logger(), 'warn');
    await withInvocationMetrics(async () => {
      invocationMetrics.add('WaveDuration', Number.NaN, {
        dimensions: { Outcome: 'SUCCEEDED' },
        properties: { releaseId: 'r1' },
      });
      invocationMetrics.add('IotCallBudgetWaitTime', Number.POSITIVE_INFINITY, { properties: {} });
      invocationMetrics.add('ReleasesStarted', 1, { properties: { releaseId: 'r1' } });
    });
    expect(emf.records().map((r) => Object.keys(r).filter((k) => /^[A-Z]/.test(k)))).toEqual([
      ['ReleasesStarted'],
    ]);
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      'metric value skipped: not a finite number',
      'metric value skipped: not a finite number',
    ]);
    warn.mockRestore();
  });

  it('writes every other record when one cannot be written', async () => {
    const warn = vi.spyOn(logger(), 'warn');
    setEmfOutput((line) => {
      if (line.includes('WaveDuration')) throw new Error('sink refused the line');
      emf.lines.push(line);
    });
    await withInvocationMetrics(async () => {
      invocationMetrics.add('ReleasesStarted', 1, { properties: { releaseId: 'r1' } });
      invocationMetrics.add('WaveDuration', 5, {
        dimensions: { Outcome: 'FAILED' },
        properties: { releaseId: 'r1' },
      });
      invocationMetrics.add('ReleasesFailed', 1, { properties: { releaseId: 'r2' } });
    });
    expect(emf.values('ReleasesStarted')).toEqual([1]);
    expect(emf.values('ReleasesFailed')).toEqual([1]);
    expect(emf.values('WaveDuration')).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      'metrics not written',
      expect.objectContaining({ metrics: ['WaveDuration'] }),
    );
    warn.mockRestore();
  });

  it('drops what is added outside an invocation, and writes nothing for an invocation that added nothing', async () => {
    invocationMetrics.add('IotThrottles', 1, { properties: { api: 'CreateJob' } });
    await withInvocationMetrics(async () => undefined);
    expect(emf.lines).toEqual([]);
  });
});

describe('on Lambda (no output set)', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('prints to stdout the very line Powertools prints, newline-terminated', () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z'), toFake: ['Date'] });
    const values = [
      {
        name: 'IotCallBudgetWaitTime' as const,
        value: 1250,
        dimensions: {},
        properties: { api: 'CreateJob' },
      },
    ];
    const kept: string[] = [];
    writeEmf(values, { stage: 'prod', output: (line) => kept.push(line) });
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    writeEmf(values, { stage: 'prod' });
    expect(printed).toEqual([`${kept[0]}\n`]);
    expect(JSON.parse(kept[0] ?? '')).toMatchObject({
      _aws: { Timestamp: Date.parse('2026-01-01T00:00:00Z') },
      service: 'fleetwave',
      stage: 'prod',
      IotCallBudgetWaitTime: 1250,
    });
  });
});

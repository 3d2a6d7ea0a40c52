import { DescribeJobCommand, ListJobsCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { expectIotError } from './iot-fixtures.js';

/** Calls ListJobs `n` times and returns, per call, the error name or `ok`. */
async function outcomes(ep: IotEndpoint, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await ep.iot.send(new ListJobsCommand({})).then(
        () => 'ok',
        (e: Error) => e.name,
      ),
    );
  }
  return out;
}

describe('IoT fault injection', () => {
  let ep: IotEndpoint;
  beforeAll(async () => {
    ep = await startIotEndpoint();
  });
  beforeEach(() => ep.emulator.faults.clear());
  afterAll(async () => ep.close());

  it('fails exactly the next N calls of the operation with a count fault', async () => {
    ep.emulator.faults.add({ operation: 'ListJobs', error: 'ThrottlingException', count: 2 });
    expect(await outcomes(ep, 4)).toEqual(['ThrottlingException', 'ThrottlingException', 'ok', 'ok']);
    expect(ep.emulator.faults.list()).toEqual([]);
  });

  it('leaves other operations alone', async () => {
    ep.emulator.faults.add({ operation: 'CreateJob', error: 'ThrottlingException', count: 1 });
    expect(await outcomes(ep, 1)).toEqual(['ok']);
  });

  it('applies a * fault to every operation', async () => {
    ep.emulator.faults.add({ operation: '*', error: 'ServiceUnavailableException', count: 2 });
    expect(await outcomes(ep, 1)).toEqual(['ServiceUnavailableException']);
    await expectIotError(
      ep.iot.send(new DescribeJobCommand({ jobId: 'x' })),
      'ServiceUnavailableException',
      503,
    );
  });

  it('fails at the given rate, the same calls on every run with the same seed', async () => {
    ep.emulator.faults.add({ operation: 'ListJobs', error: 'InternalFailureException', rate: 0.3, seed: 42 });
    const first = await outcomes(ep, 40);
    ep.emulator.faults.clear();
    ep.emulator.faults.add({ operation: 'ListJobs', error: 'InternalFailureException', rate: 0.3, seed: 42 });
    const second = await outcomes(ep, 40);
    expect(second).toEqual(first);
    const failures = first.filter((o) => o !== 'ok').length;
    // 40 draws at 0.3: clearly some, clearly not all.
    expect(failures).toBeGreaterThan(4);
    expect(failures).toBeLessThan(24);
  });

  it('stops a rate fault after count failures', async () => {
    ep.emulator.faults.add({ operation: 'ListJobs', error: 'ThrottlingException', rate: 1, count: 3 });
    expect(await outcomes(ep, 5)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      'ThrottlingException',
      'ok',
      'ok',
    ]);
  });

  it('is driven over HTTP at /_fleetwave/faults: add, list, remove, clear', async () => {
    const post = await fetch(`${ep.url}/_fleetwave/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        operation: 'ListJobs',
        error: 'ThrottlingException',
        count: 5,
        message: 'slow down',
      }),
    });
    expect(post.status).toBe(201);
    const { fault } = (await post.json()) as { fault: { id: string } };
    expect(fault).toMatchObject({ operation: 'ListJobs', error: 'ThrottlingException', count: 5, fired: 0 });

    const error = await expectIotError(ep.iot.send(new ListJobsCommand({})), 'ThrottlingException', 400);
    expect(error.message).toBe('slow down');

    const listed = (await (await fetch(`${ep.url}/_fleetwave/faults`)).json()) as {
      faults: { id: string; fired: number }[];
    };
    expect(listed.faults).toEqual([expect.objectContaining({ id: fault.id, fired: 1, matched: 1 })]);

    expect((await fetch(`${ep.url}/_fleetwave/faults/${fault.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${ep.url}/_fleetwave/faults/${fault.id}`, { method: 'DELETE' })).status).toBe(404);
    expect(await outcomes(ep, 1)).toEqual(['ok']);

    await fetch(`${ep.url}/_fleetwave/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: '*', error: 'UnauthorizedException' }),
    });
    const cleared = await fetch(`${ep.url}/_fleetwave/faults`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ faults: [] });
    expect(await outcomes(ep, 1)).toEqual(['ok']);
  });

  it('refuses a malformed fault with 400 naming the field', async () => {
    const response = await fetch(`${ep.url}/_fleetwave/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'ListJobs', error: 'NoSuchError' }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('error');
  });

  it('serves extra admin routes registered by other parts of the stack', async () => {
    ep.emulator.addAdminRoute('POST', '/_fleetwave/test/echo/{name}', (req) => ({
      status: 202,
      body: { name: req.params.name, body: req.body, flag: req.query.get('flag') },
    }));
    const response = await fetch(`${ep.url}/_fleetwave/test/echo/abc?flag=1`, {
      method: 'POST',
      body: JSON.stringify({ x: 1 }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ name: 'abc', body: { x: 1 }, flag: '1' });
    expect((await fetch(`${ep.url}/_fleetwave/test/nothing`)).status).toBe(404);
  });
});

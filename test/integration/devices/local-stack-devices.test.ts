/**
 * The jobs data plane and the files service inside the whole local stack:
 * the handlers' environment points the data-plane SDK client at the stack
 * (`AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE`), and files uploaded with a data
 * directory are still there after a restart, beside DynamoDB's store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPendingJobExecutionsCommand, IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/endpoints.js';
import { startTestStack } from '../../support/local-stack.js';

let stack: LocalStack | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the local stack', () => {
  it('sets AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE for the handlers, and a client with no endpoint reaches the data plane', async () => {
    stack = await startTestStack();
    expect(process.env.AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE).toBe(stack.awsUrl);
    stack.iot.registry.things.createThing({
      thingName: 'device-0',
      attributes: { 'fleetwave:simulated': 'false' },
    });
    const client = new IoTJobsDataPlaneClient({ maxAttempts: 1 });
    try {
      // The control plane's ListJobExecutionsForThing has the same path: only the data plane answers these members.
      const pending = await client.send(new GetPendingJobExecutionsCommand({ thingName: 'device-0' }));
      expect(pending).toMatchObject({ inProgressJobs: [], queuedJobs: [] });
    } finally {
      client.destroy();
    }
  });

  it('keeps uploaded files in --data-dir across a restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fleetwave-stack-files-'));
    stack = await startTestStack({ dataDir });
    const put = await fetch(`${stack.awsUrl}/_fleetwave/files/firmware/v3.bin`, {
      method: 'PUT',
      body: new Uint8Array([1, 2, 3]),
    });
    expect(put.status).toBe(200);
    await stack.close();
    stack = await startTestStack({ dataDir });
    const listed = (await (await fetch(`${stack.awsUrl}/_fleetwave/files`)).json()) as {
      files: { bucket: string; key: string; size: number }[];
    };
    expect(listed.files.map((f) => [f.bucket, f.key, f.size])).toEqual([['firmware', 'v3.bin', 3]]);
  });
});

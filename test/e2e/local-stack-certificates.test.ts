/**
 * The local stack's certificates as `npm start --data-dir` keeps them: with
 * the mutual-TLS port on (npm start's default) the root CA is on disk from
 * the first start, the same CA is served after a restart, and
 * DescribeEndpoint names the stack's own AWS endpoint for `iot:Jobs`. A
 * stack without that port makes the CA on its first use only.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeEndpointCommand, IoTClient } from '@aws-sdk/client-iot';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-stack.js';

describe('the local stack with a data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwave-stack-certs-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('makes the CA on the first start, keeps it across a restart, and answers iot:Jobs with its endpoint', async () => {
    const caFile = join(dataDir, 'certificates', 'ca.pem');
    let firstCa: string;
    const first = await startTestStack({ dataDir, mqttsPort: 0 });
    try {
      expect(existsSync(caFile)).toBe(true);
      firstCa = await (await fetch(`${first.awsUrl}/_fleetwave/ca.pem`)).text();
      expect(firstCa).toBe(readFileSync(caFile, 'utf8'));
      const iot = new IoTClient({
        endpoint: first.awsUrl,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
      try {
        const answer = await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Jobs' }));
        expect(`http://${answer.endpointAddress}`).toBe(first.awsUrl);
      } finally {
        iot.destroy();
      }
    } finally {
      await first.close();
    }
    const second = await startTestStack({ dataDir });
    try {
      expect(await (await fetch(`${second.awsUrl}/_fleetwave/ca.pem`)).text()).toBe(firstCa);
    } finally {
      await second.close();
    }
  });

  it('makes no CA at start without the mutual-TLS port, and one on its first use', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'fleetwave-stack-certs-lazy-'));
    const caFile = join(elsewhere, 'certificates', 'ca.pem');
    const stack = await startTestStack({ dataDir: elsewhere });
    try {
      expect(existsSync(caFile)).toBe(false);
      const served = await (await fetch(`${stack.awsUrl}/_fleetwave/ca.pem`)).text();
      expect(served).toBe(readFileSync(caFile, 'utf8'));
    } finally {
      await stack.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

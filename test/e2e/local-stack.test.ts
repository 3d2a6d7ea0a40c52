/** The local stack's own lifecycle: restarts in one process, one stack at a time, environment restored. */
import { describe, expect, it } from 'vitest';
import { api, startTestStack } from '../support/local-stack.js';

describe('startLocalStack', () => {
  it('serves a restarted stack from the new endpoint, not the closed one', async () => {
    const first = await startTestStack();
    try {
      expect(
        (await api(first, 'POST', '/job-templates', { jobTemplateId: 'a', description: 'a', document: '{}' }))
          .status,
      ).toBe(201);
    } finally {
      // A failed assertion must not leave the stack running: every later test would see "already running".
      await first.close();
    }

    const second = await startTestStack();
    try {
      expect(second.awsUrl).not.toBe(first.awsUrl);
      const res = await api(second, 'GET', '/job-templates');
      expect(res.status).toBe(200);
      expect(res.json.items).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('refuses a second stack while one is running', async () => {
    const stack = await startTestStack();
    try {
      await expect(startTestStack()).rejects.toThrow(/already running/);
    } finally {
      await stack.close();
    }
  });

  it('restores the AWS environment variables it set when it closes', async () => {
    const before = process.env.AWS_ENDPOINT_URL;
    const stack = await startTestStack();
    try {
      expect(process.env.AWS_ENDPOINT_URL).toBe(stack.awsUrl);
    } finally {
      await stack.close();
    }
    expect(process.env.AWS_ENDPOINT_URL).toBe(before);
  });
});

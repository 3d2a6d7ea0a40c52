/**
 * CI webhooks end to end over HTTP on the local stack: each provider's
 * signature is checked over the raw body before anything else is read, a
 * valid one starts a release through the same use case as POST /releases,
 * a redelivery finds the same release, and every refusal looks the same.
 */
import { describe, expect, it } from 'vitest';
import { releaseIdForIdempotencyKey } from '../../lib/releases/create-release.js';
import { clearIotFaults, injectIotFault } from '../support/local-stack.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call } from './releases-support.js';
import {
  genericHeaders,
  githubHeaders,
  githubSignature,
  postWebhook,
  SECRETS,
  setWebhookEnvironment,
} from './webhooks-support.js';

setWebhookEnvironment();

const published = (tag: string) =>
  JSON.stringify({
    action: 'published',
    release: { tag_name: tag },
    repository: { full_name: 'acme/firmware' },
    sender: { login: 'octocat' },
  });

const refusal = { code: 'UnauthorizedError', message: 'Invalid signature' };

describe('webhooks over HTTP', () => {
  const env = useWorkflowStack({ fleet: { size: 10, canaryShare: 0 } });

  describe('GitHub', () => {
    it('starts the mapped release for a published release with a valid signature', async () => {
      const { stack } = env();
      const body = published('v1.0.0');
      const res = await postWebhook(stack, '/webhooks/github', body, githubHeaders('release', body));
      expect(res.status).toBe(202);
      const id = releaseIdForIdempotencyKey('github:acme/firmware@v1.0.0');
      expect(res.json.release.releaseId).toBe(id);
      const stored = await call(stack, 'GET', `/releases/${id}`);
      expect(stored.json.release).toMatchObject({
        jobTemplateId: 'fw-2-0',
        description: 'acme/firmware@v1.0.0 (github)',
        createdBy: 'github:octocat',
      });
      const history = await call(stack, 'GET', `/releases/${id}/history`);
      expect(history.json.items[0]).toMatchObject({ type: 'RELEASE_CREATED', actor: 'github:octocat' });
    });

    it('answers a redelivery 200 with the same release', async () => {
      const { stack } = env();
      const body = published('v1.1.0');
      const first = await postWebhook(stack, '/webhooks/github', body, githubHeaders('release', body, 'd-1'));
      const again = await postWebhook(stack, '/webhooks/github', body, githubHeaders('release', body, 'd-1'));
      expect([first.status, again.status]).toEqual([202, 200]);
      expect(again.json.release.releaseId).toBe(first.json.release.releaseId);
      expect(again.json.release.createdAt).toBe(first.json.release.createdAt);
    });

    it('refuses a wrong, a missing and a replayed-on-another-body signature alike, starting nothing', async () => {
      const { stack } = env();
      const body = published('v9.0.0');
      const wrong = {
        ...githubHeaders('release', body),
        'x-hub-signature-256': githubSignature(body, 'not-the-secret'),
      };
      const { 'x-hub-signature-256': _, ...missing } = githubHeaders('release', body);
      const tampered = body.replace('v9.0.0', 'v9.0.1');
      const answers = await Promise.all([
        postWebhook(stack, '/webhooks/github', body, wrong),
        postWebhook(stack, '/webhooks/github', body, missing),
        postWebhook(stack, '/webhooks/github', tampered, githubHeaders('release', body)),
      ]);
      for (const answer of answers) expect(answer).toEqual({ status: 401, json: refusal });
      for (const tag of ['v9.0.0', 'v9.0.1']) {
        const id = releaseIdForIdempotencyKey(`github:acme/firmware@${tag}`);
        expect((await call(stack, 'GET', `/releases/${id}`)).status).toBe(404);
      }
    });

    it('answers ping 200', async () => {
      const { stack } = env();
      const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
      const res = await postWebhook(stack, '/webhooks/github', body, githubHeaders('ping', body));
      expect(res).toEqual({ status: 200, json: { ok: true } });
    });

    it('answers an event it does not handle 202 with the reason', async () => {
      const { stack } = env();
      const body = JSON.stringify({ ref: 'refs/heads/main' });
      const res = await postWebhook(stack, '/webhooks/github', body, githubHeaders('push', body));
      expect(res).toEqual({
        status: 202,
        json: { ignored: true, reason: 'GitHub event push starts nothing.' },
      });
    });

    it('starts a repository_dispatch client payload, validated as POST /releases validates', async () => {
      const { stack } = env();
      const ok = JSON.stringify({
        action: 'deploy',
        client_payload: {
          releaseId: 'dispatch-1',
          jobTemplateId: 'fw-2-0',
          waves: [{ targets: { thingGroups: ['fleet'] } }],
        },
      });
      const started = await postWebhook(
        stack,
        '/webhooks/github',
        ok,
        githubHeaders('repository_dispatch', ok),
      );
      expect(started.status).toBe(202);
      expect(started.json.release.releaseId).toBe('dispatch-1');
      const bad = JSON.stringify({ client_payload: { jobTemplateId: 'fw-2-0', waves: [] } });
      const refused = await postWebhook(
        stack,
        '/webhooks/github',
        bad,
        githubHeaders('repository_dispatch', bad),
      );
      expect(refused.status).toBe(400);
      expect(refused.json.details).toEqual([{ path: 'waves', message: 'must hold at least 1 wave' }]);
    });
  });

  describe('GitLab', () => {
    const tagPush = JSON.stringify({
      object_kind: 'tag_push',
      ref: 'refs/tags/r2',
      after: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
      project: { path_with_namespace: 'acme/devices/firmware' },
      user_username: 'jdoe',
    });

    it('starts the mapped release for a tag push with the right token', async () => {
      const { stack } = env();
      const res = await postWebhook(stack, '/webhooks/gitlab', tagPush, {
        'x-gitlab-event': 'Tag Push Hook',
        'x-gitlab-token': SECRETS.gitlab,
      });
      expect(res.status).toBe(202);
      expect(res.json.release.releaseId).toBe(releaseIdForIdempotencyKey('gitlab:acme/devices/firmware@r2'));
      expect(res.json.release.createdBy).toBe('gitlab:jdoe');
    });

    it('refuses a wrong token 401', async () => {
      const { stack } = env();
      const res = await postWebhook(stack, '/webhooks/gitlab', tagPush, {
        'x-gitlab-event': 'Tag Push Hook',
        'x-gitlab-token': 'guessed',
      });
      expect(res).toEqual({ status: 401, json: refusal });
    });
  });

  describe('generic', () => {
    const request = (releaseId: string) =>
      JSON.stringify({
        releaseId,
        jobTemplateId: 'fw-2-0',
        targets: { thingGroups: ['fleet'] },
        waves: [{ percentage: 100 }],
      });

    it('starts the release a freshly signed request asks for', async () => {
      const { stack } = env();
      const body = request('generic-1');
      const res = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body));
      expect(res.status).toBe(202);
      expect(res.json.release).toMatchObject({ releaseId: 'generic-1', createdBy: 'webhook' });
    });

    it('names the sender the signed body gives as the creator', async () => {
      const { stack } = env();
      const body = JSON.stringify({ ...JSON.parse(request('generic-sender')), sender: 'jenkins' });
      const res = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body));
      expect(res.status).toBe(202);
      const history = await call(stack, 'GET', '/releases/generic-sender/history');
      expect(history.json.items[0]).toMatchObject({ type: 'RELEASE_CREATED', actor: 'webhook:jenkins' });
    });

    it('refuses a correctly signed request replayed 6 minutes later, whatever the stack clock says', async () => {
      const { stack } = env();
      const body = request('generic-replayed');
      const res = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body, 360));
      expect(res).toEqual({ status: 401, json: refusal });
      expect((await call(stack, 'GET', '/releases/generic-replayed')).status).toBe(404);
    });
  });

  describe('failure paths', () => {
    const request = (releaseId: string, jobTemplateId = 'fw-2-0') =>
      JSON.stringify({
        releaseId,
        jobTemplateId,
        targets: { thingGroups: ['fleet'] },
        waves: [{ percentage: 100 }],
      });

    it('answers a correctly signed body that is not JSON 400, starting nothing', async () => {
      const { stack } = env();
      const body = '{"releaseId": "not-json",';
      const res = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body));
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('ValidationError');
      expect((await call(stack, 'GET', '/releases/not-json')).status).toBe(404);
    });

    it('names jobTemplateId when the requested template does not exist', async () => {
      const { stack } = env();
      const body = request('generic-no-template', 'no-such-template');
      const res = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body));
      expect(res.status).toBe(400);
      expect(res.json.details.map((d: { path: string }) => d.path)).toEqual(['jobTemplateId']);
      expect((await call(stack, 'GET', '/releases/generic-no-template')).status).toBe(404);
    });

    it('makes one release of the same delivery sent five times at once', async () => {
      const { stack } = env();
      const body = published('v3.0.0');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          postWebhook(stack, '/webhooks/github', body, githubHeaders('release', body, 'd-race')),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 202]);
      const ids = new Set(answers.map((a) => a.json.release.releaseId));
      expect(ids).toEqual(new Set([releaseIdForIdempotencyKey('github:acme/firmware@v3.0.0')]));
    });

    it('answers 429 with Retry-After while IoT throttles, and the redelivery then starts the release', async () => {
      const { stack } = env();
      const body = request('generic-throttled');
      await injectIotFault(stack, {
        operation: 'DescribeJobTemplate',
        error: 'ThrottlingException',
        count: 100,
      });
      const res = await fetch(`${stack.apiUrl}/webhooks/generic`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...genericHeaders(body) },
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call(stack, 'GET', '/releases/generic-throttled')).status).toBe(404);
      await clearIotFaults(stack);
      const again = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body));
      expect(again.status).toBe(202);
      expect(again.json.release.releaseId).toBe('generic-throttled');
    });

    it('starts the release on the redelivery after Step Functions refused to start it', async () => {
      const { stack } = env();
      const faults = stack.workflow.stepFunctionsFaults;
      const fault = faults.add({ operation: 'StartExecution', error: 'ServiceUnavailable' });
      const body = request('generic-half-done');
      try {
        const res = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body));
        // A 5xx tells the sender to deliver again; the release is stored, its execution is not started.
        expect(res.status).toBe(502);
        expect(faults.fired(fault)).toBeGreaterThanOrEqual(1);
      } finally {
        faults.remove(fault);
      }
      expect((await call(stack, 'GET', '/releases/generic-half-done')).json.release.status).toBe('PENDING');
      const again = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body));
      expect(again.status).toBe(200);
      expect(again.json.release.releaseId).toBe('generic-half-done');
      await stack.workflow.driver.settle();
      expect((await call(stack, 'GET', '/releases/generic-half-done')).json.release.status).not.toBe(
        'PENDING',
      );
    });
  });

  it.each(['github', 'gitlab', 'generic'])(
    'refuses a 2 MB body to /webhooks/%s with 413',
    async (provider) => {
      const { stack } = env();
      const body = JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) });
      const res = await postWebhook(stack, `/webhooks/${provider}`, body, {
        ...githubHeaders('release', body),
        'x-gitlab-token': SECRETS.gitlab,
        ...genericHeaders(body),
      });
      expect(res.status).toBe(413);
      expect(res.json.code).toBe('PayloadTooLargeError');
    },
  );
});

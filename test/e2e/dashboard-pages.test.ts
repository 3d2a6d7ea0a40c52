/**
 * The dashboard's other views in Chromium against a local stack: a failing
 * cohort's top reason and its failing things on the release's page, the
 * templates, and the events panel. Also what the API port serves besides
 * the app: the admin routes forwarded from the AWS endpoint, and the
 * bearer token the page asks for when the API requires one.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../lib/config.js';
import { useBrowser } from '../support/browser.js';
import { fixedProfile } from '../support/fleet.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, runUntilApi } from './releases-support.js';

describe('the dashboard in a browser: failures, templates, events', () => {
  const env = useWorkflowStack({
    // 27 bad canaries of 30: more failing things than a page of the drill-down holds (25).
    fleet: { size: 30, canaryShare: 0.9 },
    // The bad canaries fail with the image's checksum; everything else succeeds.
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }, [
      {
        match: { thingGroup: 'canary-bad' },
        outcomes: { fail: 1 },
        statusDetails: { fail: { reason: 'checksum-mismatch', step: 'verify' } },
      },
    ]),
  });
  const browserOf = useBrowser();

  /** A release whose canary wave failed, made by whichever test needs it first; its failed things. */
  let canary: Promise<{ id: string; failed: string[] }> | undefined;
  const failedCanary = () => {
    canary ??= (async () => {
      const { stack } = env();
      const id = await createReleaseOk(stack, {
        releaseId: 'dash-canary',
        jobTemplateId: 'fw-2-0',
        targets: { thingGroups: ['fleet'] },
        waves: [{ targets: { thingGroups: ['canary-bad'] } }, { percentage: 100 }],
      });
      await runUntilApi(stack, id, (v) => v.release.status === 'FAILED', 'the canary wave failed');
      const failed = (
        await call(stack, 'GET', `/releases/${id}/waves/1/executions?status=FAILED&maxResults=100`)
      ).json.items as { thingName: string }[];
      return { id, failed: failed.map((f) => f.thingName) };
    })();
    return canary;
  };

  it("shows a failing cohort's top reason, and its failing things page by page", async () => {
    const { stack } = env();
    const { id, failed } = await failedCanary();
    expect(failed.length).toBeGreaterThan(25);

    const browser = browserOf();
    const { page } = browser;
    const reads = { reasons: 0, release: 0 };
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path === `/releases/${id}/failure-reasons`) reads.reasons++;
      if (path === `/releases/${id}`) reads.release++;
    });
    await page.goto(`${stack.apiUrl}/dashboard/releases/${id}`);
    const top = page.locator('table.reasons tbody tr').first();
    await top.waitFor();
    expect(await top.locator('.reason-text').textContent()).toBe('checksum-mismatch');
    expect(await top.locator('td').nth(1).textContent()).toBe(String(failed.length));
    // Across all waves a reason's wave is unknown: no drill-down, a request to pick a wave.
    expect(await top.getByRole('button').count()).toBe(0);
    await page.getByTestId('pick-wave').waitFor();

    await page.locator('section[aria-labelledby="failures-title"] select').selectOption('1');
    await top.getByRole('button', { name: `FAILED ${failed.length}` }).click();
    const drill = page.locator('.drill table');
    await drill.locator('tbody tr.marked').first().waitFor();
    const firstPage = await drill.locator('tbody tr td:first-child').allTextContents();
    expect(firstPage).toHaveLength(25);
    expect(await drill.locator('tbody tr').first().textContent()).toContain('reason: checksum-mismatch');
    await page.locator('.drill').getByRole('button', { name: /Next/ }).click();
    await page
      .locator('.drill table tbody tr td:first-child')
      .first()
      .filter({ hasNotText: firstPage[0] ?? '' })
      .waitFor();
    const secondPage = await drill.locator('tbody tr td:first-child').allTextContents();
    expect([...firstPage, ...secondPage].sort()).toEqual([...failed].sort());

    // Another status starts at its first page (the FAILED listing's token means nothing there).
    await page.getByRole('button', { name: 'TIMED_OUT things of wave 1' }).click();
    await page.locator('.drill').getByText('None.').waitFor();
    await page.getByRole('button', { name: 'FAILED things of wave 1' }).click();
    await page.locator('.drill table tbody tr').nth(24).waitFor();
    expect(await page.locator('.drill .error').count()).toBe(0);

    expect(await page.getByTestId('release-status').textContent()).toBe('FAILED');
    // An ended release with failed things offers a retry.
    expect(await page.locator('button[data-action="retry"]').count()).toBe(1);
    await browser.screenshot('dashboard-failures');

    // The release is polled on; its failure reasons, whose counts no longer change, are not.
    const seen = reads.release;
    await page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/releases/${id}` && reads.release >= seen + 2,
    );
    // Read once across all waves, once for wave 1.
    expect(reads.reasons).toBe(2);
  });

  it('lists the templates and shows one', async () => {
    const { stack } = env();
    const browser = browserOf();
    const { page } = browser;
    await page.goto(`${stack.apiUrl}/`);
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('link', { name: 'fw-2-0' }).click();
    await page.getByRole('heading', { level: 1, name: 'Template fw-2-0' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/templates/fw-2-0');
    expect(await page.locator('.facts').textContent()).toContain('jobTemplateArn');
  });

  it('opens from a link on another site, while that site still cannot call the API', async () => {
    const { stack } = env();
    const { page } = browserOf();
    // Another site: a page on `localhost` (a different site from 127.0.0.1) with a link to the dashboard.
    const other = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<a href="${stack.apiUrl}/dashboard/templates">the templates</a>`);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = other.address() as AddressInfo;
      await page.goto(`http://localhost:${port}/`);
      // What that site's own script sends the API is still refused.
      const refused = await page.evaluate(async (api) => {
        try {
          await fetch(`${api}/releases`);
          return false;
        } catch {
          return true;
        }
      }, stack.apiUrl);
      expect(refused).toBe(true);
      await page.getByRole('link', { name: 'the templates' }).click();
      await page.getByRole('link', { name: 'fw-2-0' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/dashboard/templates');
    } finally {
      // The browser keeps its connection open; close() alone would wait for it.
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('shows the events panel from the admin routes the API port forwards', async () => {
    const { stack } = env();
    const credentials = { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' };
    const clientOptions = { endpoint: stack.awsUrl, region: stack.region, credentials };
    const events = new EventBridgeClient(clientOptions);
    const sns = new SNSClient(clientOptions);
    try {
      // A known event and a known message, each then the newest of its kind.
      await events.send(
        new PutEventsCommand({
          Entries: [{ Source: 'test.dashboard', DetailType: 'Dashboard Marker', Detail: '{"marker":"m-1"}' }],
        }),
      );
      await stack.eventBridge.idle();
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'dashboard-marker' }));
      await sns.send(new PublishCommand({ TopicArn, Subject: 'Marker subject', Message: 'marker body' }));
    } finally {
      events.destroy();
      sns.destroy();
    }

    for (const path of [
      '/_fleetwave/events?maxResults=5',
      '/_fleetwave/sns/messages',
      '/_fleetwave/metrics',
    ]) {
      const [direct, forwarded] = await Promise.all([fetch(stack.awsUrl + path), fetch(stack.apiUrl + path)]);
      expect(direct.status).toBe(200);
      expect(forwarded.status).toBe(200);
      expect(await forwarded.text()).toBe(await direct.text());
    }
    // Only GET is forwarded; anything else is an API route, and there is none.
    expect((await fetch(`${stack.apiUrl}/_fleetwave/events`, { method: 'POST' })).status).toBe(404);

    const browser = browserOf();
    const { page } = browser;
    await page.goto(`${stack.apiUrl}/dashboard/events`);
    await page.getByRole('heading', { level: 1, name: 'Events and messages' }).waitFor();
    const firstEvent = page.locator('section[aria-labelledby="events-title"] tbody tr').first();
    await firstEvent.filter({ hasText: 'Dashboard Marker' }).waitFor();
    const eventCells = await firstEvent.locator('td').allTextContents();
    expect(eventCells.slice(1, 4)).toEqual(['Dashboard Marker', 'test.dashboard', 'default']);
    expect(eventCells[4]).toContain('"marker":"m-1"');
    const firstMessage = page.locator('section[aria-labelledby="messages-title"] tbody tr').first();
    await firstMessage.filter({ hasText: 'Marker subject' }).waitFor();
    expect((await firstMessage.locator('td').allTextContents()).slice(1)).toEqual([
      'dashboard-marker',
      'Marker subject',
      'marker body',
    ]);
    await browser.screenshot('dashboard-events');
  });

  it('polls with If-None-Match and gets 304 while nothing changes', async () => {
    const { stack } = env();
    await failedCanary();
    const browser = browserOf();
    const { page } = browser;
    const conditional = page.waitForResponse(
      (r) => r.url() === `${stack.apiUrl}/releases/dash-canary` && r.status() === 304,
    );
    await page.goto(`${stack.apiUrl}/dashboard/releases/dash-canary`);
    const answer = await conditional;
    expect(answer.request().headers()['if-none-match']).toMatch(/^"/);
  });

  it('sends one Idempotency-Key per opened retry confirmation, and shows a refusal', async () => {
    const { stack } = env();
    const { id } = await failedCanary();
    const browser = browserOf();
    const { page } = browser;
    const keys: (string | undefined)[] = [];
    // The API's answer is stood in for: the test looks at what the page sends, and makes no release.
    await page.route(`${stack.apiUrl}/releases/${id}/retry`, (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      return route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ message: 'A retry of this release is already running.' }),
      });
    });
    await page.goto(`${stack.apiUrl}/dashboard/releases/${id}`);
    await page.locator('button[data-action="retry"]').click();
    const dialog = page.getByRole('dialog');
    const send = dialog.getByRole('button', { name: 'Retry failed things' });
    await send.click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'A retry of this release is already running.' })
      .waitFor();
    await Promise.all([page.waitForRequest((r) => r.url().endsWith('/retry')), send.click()]);
    await dialog.getByRole('alert').waitFor();
    await dialog.getByRole('button', { name: 'Keep as is' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('button[data-action="retry"]').click();
    await send.click();
    await dialog.getByRole('alert').waitFor();
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    // The same confirmation sent twice is one request; a new confirmation is another.
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('is usable from the keyboard: Tab reaches an action, its dialog keeps the focus, Escape closes it', async () => {
    const { stack } = env();
    await failedCanary();
    const browser = browserOf();
    const { page } = browser;
    await page.goto(`${stack.apiUrl}/dashboard/releases/dash-canary`);
    await page.locator('button[data-action="retry"]').waitFor();
    const focused = () => page.evaluate('document.activeElement?.getAttribute("data-action") ?? null');
    let presses = 0;
    while ((await focused()) !== 'retry') {
      if (++presses > 40) throw new Error('Tab never reached the Retry button');
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate('Boolean(document.activeElement?.closest("dialog"))')).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });
});

describe('the dashboard in a browser: an API that requires a bearer token', () => {
  const env = useWorkflowStack({ fleet: { size: 5, canaryShare: 0 } });
  const token = 'dashboard-token-5e1f0a9c3b7d';
  const browserOf = useBrowser();
  afterEach(() => {
    delete process.env.FLEETWAVE_API_TOKEN;
    resetConfig();
  });

  it('asks for the token once and keeps it for the tab', async () => {
    const { stack } = env();
    process.env.FLEETWAVE_API_TOKEN = token;
    resetConfig();
    const browser = browserOf();
    const { page } = browser;
    await page.goto(`${stack.apiUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'API token' }).waitFor();
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Use the token' }).click();
    await page.getByRole('heading', { level: 1, name: 'Releases' }).waitFor();
    await page.locator('table.releases').waitFor();
    // The page got through: without the token every read is a 401.
    expect(await page.locator('table.releases').textContent()).toContain('No releases');
    expect(await page.evaluate('sessionStorage.getItem("fleetwave.apiToken")')).toBe(token);
    // A reload keeps it: no second question.
    await page.reload();
    await page.locator('table.releases').waitFor();
    expect(await page.getByRole('heading', { level: 1, name: 'API token' }).count()).toBe(0);
  });
});

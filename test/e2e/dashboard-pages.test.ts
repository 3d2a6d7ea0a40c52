/**
 * The dashboard's other views in Chromium against a local stack: a failing
 * cohort's top reason and its failing things on the release's page, the
 * templates, and the events panel. Also what the API port serves besides
 * the app: the admin routes forwarded from the AWS endpoint, and the
 * bearer token the page asks for when the API requires one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../lib/config.js';
import { useBrowser } from '../support/browser.js';
import { fixedProfile } from '../support/fleet.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, runUntilApi } from './releases-support.js';

describe('the dashboard in a browser: failures, templates, events', () => {
  const env = useWorkflowStack({
    fleet: { size: 30, canaryShare: 0.2 },
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

  it("shows a failing cohort's top reason, and its failing things", async () => {
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
    expect(failed.length).toBeGreaterThan(0);

    const browser = browserOf();
    const { page } = browser;
    await page.goto(`${stack.apiUrl}/dashboard/releases/${id}`);
    const top = page.locator('table.reasons tbody tr').first();
    await top.waitFor();
    expect(await top.locator('.reason-text').textContent()).toBe('checksum-mismatch');
    expect(await top.locator('td').nth(1).textContent()).toBe(String(failed.length));

    await top.getByRole('button', { name: `FAILED ${failed.length}` }).click();
    const drill = page.locator('.drill table');
    await drill.locator('tbody tr.marked').first().waitFor();
    const shown = await drill.locator('tbody tr td:first-child').allTextContents();
    expect(shown.sort()).toEqual(failed.map((f) => f.thingName).sort());
    expect(await drill.locator('tbody tr').first().textContent()).toContain('reason: checksum-mismatch');
    expect(await page.getByTestId('release-status').textContent()).toBe('FAILED');
    // An ended release with failed things offers a retry.
    expect(await page.locator('button[data-action="retry"]').count()).toBe(1);
    await browser.screenshot('dashboard-failures');
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

  it('shows the events panel from the admin routes the API port forwards', async () => {
    const { stack } = env();
    for (const path of [
      '/_fleetwave/events?maxResults=5',
      '/_fleetwave/sns/messages',
      '/_fleetwave/metrics',
    ]) {
      const [direct, forwarded] = await Promise.all([fetch(stack.awsUrl + path), fetch(stack.apiUrl + path)]);
      expect(forwarded.status).toBe(direct.status);
      expect(await forwarded.text()).toBe(await direct.text());
    }
    // Only GET is forwarded; anything else is an API route, and there is none.
    expect((await fetch(`${stack.apiUrl}/_fleetwave/events`, { method: 'POST' })).status).toBe(404);

    const browser = browserOf();
    const { page } = browser;
    await page.goto(`${stack.apiUrl}/dashboard/events`);
    await page.getByRole('heading', { level: 1, name: 'Events and messages' }).waitFor();
    const events = await fetch(`${stack.apiUrl}/_fleetwave/events`);
    if (events.status === 404) {
      await page.getByText('Only the local stack records EventBridge events').waitFor();
    } else {
      const newest = ((await events.json()) as { events: { 'detail-type': string }[] }).events[0];
      await page.locator('section[aria-labelledby="events-title"] tbody tr').first().waitFor();
      expect(
        await page.locator('section[aria-labelledby="events-title"] tbody tr').first().textContent(),
      ).toContain(newest?.['detail-type'] ?? '');
    }
    await browser.screenshot('dashboard-events');
  });

  it('polls with If-None-Match and gets 304 while nothing changes', async () => {
    const { stack } = env();
    const browser = browserOf();
    const { page } = browser;
    const conditional = page.waitForResponse(
      (r) => r.url() === `${stack.apiUrl}/releases/dash-canary` && r.status() === 304,
    );
    await page.goto(`${stack.apiUrl}/dashboard/releases/dash-canary`);
    const answer = await conditional;
    expect(answer.request().headers()['if-none-match']).toMatch(/^"/);
  });

  it('is usable from the keyboard: Tab reaches an action, its dialog keeps the focus, Escape closes it', async () => {
    const { stack } = env();
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

/**
 * The dashboard as a person uses it, in Chromium against a local stack
 * whose manual clock the test drives: the release list, then a release's
 * page; approving a gate and watching the next wave start and its bar grow;
 * cancelling a release from its page. The page updates by itself (it
 * polls); the test only drives the stack's clock and waits for what the
 * page shows.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';
import { fixedProfile } from '../support/fleet.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

describe('the dashboard in a browser', () => {
  const env = useWorkflowStack({
    fleet: { size: 20, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 1800 }),
  });
  const browserOf = useBrowser();

  /** Opens the page of a new release `releaseId` waiting for approval after its first wave. */
  const openAtGate = async (releaseId: string) => {
    const { stack } = env();
    const id = await createReleaseOk(
      stack,
      releaseRequest({ releaseId, waves: [{ percentage: 50, requireApproval: true }, { percentage: 100 }] }),
    );
    await runUntilApi(stack, id, (v) => v.release.status === 'WAITING_APPROVAL', 'the gate');
    const browser = browserOf();
    await browser.page.goto(`${stack.apiUrl}/dashboard/releases/${id}`);
    return { stack, id, browser, page: browser.page };
  };

  /** The text of the release's status badge on its page. */
  const statusOnPage = () => browserOf().page.getByTestId('release-status').textContent();

  it('shows the release list, newest first, and opens a release from it', async () => {
    const { stack } = env();
    await createReleaseOk(stack, releaseRequest({ releaseId: 'dash-older', description: 'the first' }));
    await stack.clock.advance(60_000);
    await createReleaseOk(stack, releaseRequest({ releaseId: 'dash-newer' }));
    await runUntilApi(stack, 'dash-newer', (v) => v.release.status === 'IN_PROGRESS', 'dash-newer running');
    const browser = browserOf();
    const { page } = browser;
    await page.goto(`${stack.apiUrl}/`);
    await page.locator('tr[data-release="dash-older"]').waitFor();
    const order = await page
      .locator('tbody tr[data-release]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-release')));
    expect(order.indexOf('dash-newer')).toBeLessThan(order.indexOf('dash-older'));
    await expect(page.locator('tr[data-release="dash-older"]').textContent()).resolves.toContain('fw-2-0');
    await browser.screenshot('dashboard-list');

    await page.getByRole('link', { name: 'dash-older' }).click();
    await page.getByRole('heading', { level: 1, name: /Release dash-older/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/releases/dash-older');
    await page.locator('.wave[data-wave="3"]').waitFor();
    expect(await page.locator('.wave').count()).toBe(3);
    await browser.screenshot('dashboard-release');
    // Cleared for the next scenarios: nothing else may run waves over the same fleet.
    for (const id of ['dash-older', 'dash-newer'])
      await call(stack, 'POST', `/releases/${id}/cancel`, { body: { force: true } });
  });

  it('filters the list by status and pages it with nextToken, Next and Previous', async () => {
    const { stack } = env();
    for (const releaseId of ['dash-page-a', 'dash-page-b']) {
      await stack.clock.advance(60_000);
      await createReleaseOk(stack, releaseRequest({ releaseId }));
      await call(stack, 'POST', `/releases/${releaseId}/cancel`, { body: { force: true } });
    }
    const browser = browserOf();
    const { page } = browser;
    // Pages of one release, from the real API, so two pages hold the test's two releases.
    await page.route(
      (url) => url.pathname === '/releases',
      (route) => {
        const url = new URL(route.request().url());
        url.searchParams.set('maxResults', '1');
        return route.continue({ url: url.toString() });
      },
    );
    // The unfiltered list shows the same newest release first: wait for the filtered answer itself,
    // and for the next page's, before looking, or a click could act on the list as it was.
    const answered = (query: (params: URLSearchParams) => boolean) =>
      page.waitForResponse((r) => {
        const url = new URL(r.url());
        return url.pathname === '/releases' && query(url.searchParams) && r.status() === 200;
      });
    await page.goto(`${stack.apiUrl}/`);
    const filtered = answered((q) => q.get('status') === 'CANCELED' && !q.has('nextToken'));
    await page.locator('.filters select').selectOption('CANCELED');
    await filtered;
    const rows = page.locator('tbody tr[data-release]');
    await page.waitForURL((url) => url.search === '?status=CANCELED');
    await rows.filter({ hasText: 'dash-page-b' }).waitFor();
    expect(await rows.count()).toBe(1);
    const second = answered((q) => q.get('status') === 'CANCELED' && q.has('nextToken'));
    await page.getByRole('button', { name: 'Next' }).click();
    await second;
    await rows.filter({ hasText: 'dash-page-a' }).waitFor();
    expect(new URL(page.url()).searchParams.getAll('page')).toHaveLength(1);
    expect(await rows.locator('.status').allTextContents()).toEqual(['CANCELED']);
    await page.getByRole('button', { name: 'Previous' }).click();
    await rows.filter({ hasText: 'dash-page-b' }).waitFor();
  });

  it('has a dark theme whose colours differ from the light one and stay readable', async () => {
    const { stack } = env();
    const { page } = browserOf();
    await page.goto(`${stack.apiUrl}/`);
    await page.locator('table.releases').waitFor();
    const colours = () =>
      page.evaluate(`(() => {
        const s = getComputedStyle(document.body);
        return [s.backgroundColor, s.color];
      })()`) as Promise<[string, string]>;
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await colours();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await colours();
    expect(dark).not.toEqual(light);
    // Relative luminance (WCAG) of an `rgb(r, g, b)` colour, and the contrast of two.
    const luminance = (rgb: string) => {
      const [r, g, b] = (rgb.match(/\d+/g) ?? []).slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    const contrast = ([bg, fg]: [string, string]) => {
      const [hi, lo] = [luminance(bg), luminance(fg)].sort((x, y) => y - x);
      return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
    };
    expect(luminance(dark[0])).toBeLessThan(luminance(light[0]));
    expect(contrast(dark)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(light)).toBeGreaterThanOrEqual(4.5);
  });

  it('approves a gate from the page, then shows the next wave start and its bar grow', async () => {
    const { stack, id, browser, page } = await openAtGate('dash-gate');
    await page.getByRole('heading', { name: 'Waiting for approval after wave 1' }).waitFor();

    await page.locator('.gate button[data-action="approve"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Comment/).fill('canary looks good');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('release-status').filter({ hasText: 'IN_PROGRESS' }).waitFor();
    const approved = await call(stack, 'GET', `/releases/${id}`);
    expect(approved.json.release.statusReason).toBe('Approved after wave 1 by local: canary looks good');
    await browser.screenshot('dashboard-approved');

    // The next wave starts: its devices run, none has succeeded yet.
    await runUntilApi(
      stack,
      id,
      (v) => (v.waves[1].counts?.numberOfInProgressThings ?? 0) > 0,
      'wave 2 running',
    );
    const wave2 = page.locator('.wave[data-wave="2"]');
    await wave2.locator('[data-segment="in-progress"]').waitFor();
    expect(await wave2.getAttribute('data-status')).toBe('IN_PROGRESS');
    expect(await wave2.locator('[data-segment="succeeded"]').count()).toBe(0);

    // Its devices succeed: the bar's succeeded part appears and grows to the whole wave.
    await runUntilApi(stack, id, (v) => v.release.status === 'SUCCEEDED', 'the release done');
    await wave2.locator('[data-segment="succeeded"]').waitFor();
    // Evaluated in the page (a string: the test's own TypeScript has no DOM types).
    await page.waitForFunction(`(() => {
      const bar = document.querySelector('.wave[data-wave="2"] .bar');
      const seg = bar?.querySelector('[data-segment="succeeded"]');
      return Boolean(bar && seg && seg.getBoundingClientRect().width >= bar.getBoundingClientRect().width - 4);
    })()`);
    expect(await statusOnPage()).toBe('SUCCEEDED');
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain('Approved after wave 1 by local: canary looks good');
    expect(timeline).toContain('by local');
  });

  it('cancels a release from its page, with a comment', async () => {
    const { stack } = env();
    const id = await createReleaseOk(stack, releaseRequest({ releaseId: 'dash-cancel' }));
    await runUntilApi(stack, id, (v) => v.waves[0].status === 'IN_PROGRESS', 'wave 1 running');
    const browser = browserOf();
    const { page } = browser;
    await page.goto(`${stack.apiUrl}/dashboard/releases/${id}`);
    await page.locator('button[data-action="cancel"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Comment/).fill('battery drain');
    // Escape closes the dialog and changes nothing.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await call(stack, 'GET', `/releases/${id}`)).json.release.status).toBe('IN_PROGRESS');

    await page.locator('button[data-action="cancel"]').click();
    await dialog.getByLabel(/Comment/).fill('battery drain');
    await dialog.getByRole('button', { name: 'Cancel release' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('release-status').filter({ hasText: 'CANCELED' }).waitFor();
    expect(await page.locator('button[data-action="cancel"]').count()).toBe(0);
    const after = await call(stack, 'GET', `/releases/${id}`);
    expect(after.json.release).toMatchObject({
      status: 'CANCELED',
      statusReason: 'Canceled by local: battery drain',
    });
    await browser.screenshot('dashboard-canceled');
  });

  it("counts a bake down on the stack's clock, and says so when the API stops answering", async () => {
    const { stack } = env();
    const id = await createReleaseOk(
      stack,
      releaseRequest({
        releaseId: 'dash-bake',
        waves: [{ percentage: 50, bakeTimeMinutes: 30 }, { percentage: 100 }],
      }),
    );
    const baking = await runUntilApi(stack, id, (v) => v.waves[0].status === 'BAKING', 'wave 1 baking');
    const since = Date.parse(baking.waves[0].statusChangedAt ?? baking.waves[0].updatedAt);
    const browser = browserOf();
    const { page } = browser;
    await page.goto(`${stack.apiUrl}/dashboard/releases/${id}`);
    const gate = page.locator('.gate-bake');
    await gate.getByRole('heading', { name: 'Wave 1 is baking' }).waitFor();
    // The stack's clock is months from the browser's: only the API's `Date` gives a countdown.
    const left = () => Math.floor((since + 30 * 60_000 - stack.clock.now()) / 60_000);
    await gate.getByText(new RegExp(`\\(in ${left()} min`)).waitFor();
    await stack.clock.advance(10 * 60_000);
    await gate.getByText(new RegExp(`\\(in ${left()} min`)).waitFor();

    // The API stops answering: the page keeps what it showed and says it may be stale.
    await page.route(`${stack.apiUrl}/releases/${id}`, (route) => route.abort('connectionrefused'));
    const banner = page.getByTestId('api-error');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^Can't reach the API: .+; last updated at .+\.$/);
    expect(await page.getByTestId('release-status').textContent()).toBe('IN_PROGRESS');
    await page.unroute(`${stack.apiUrl}/releases/${id}`);
    await banner.waitFor({ state: 'detached' });
    await call(stack, 'POST', `/releases/${id}/cancel`, { body: { force: true } });
  });

  it("keeps an open confirmation when a poll moves the gate on, and shows the API's refusal", async () => {
    const { stack, id, page } = await openAtGate('dash-race');
    await page.locator('.gate button[data-action="approve"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Comment/).fill('from the page');
    // Someone else approves meanwhile: the page's poll shows it, the gate and its button go.
    expect(
      (await call(stack, 'POST', `/releases/${id}/approve`, { body: { comment: 'from the CLI' } })).status,
    ).toBe(200);
    await page.getByTestId('release-status').filter({ hasText: 'IN_PROGRESS' }).waitFor();
    expect(await page.locator('.gate button[data-action="approve"]').count()).toBe(0);
    expect(await dialog.getByLabel(/Comment/).inputValue()).toBe('from the page');

    await dialog.getByRole('button', { name: 'Approve' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    const again = await call(stack, 'POST', `/releases/${id}/approve`, { body: {} });
    expect(again.status).toBe(409);
    expect(await refusal.textContent()).toBe(again.json.message);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await call(stack, 'POST', `/releases/${id}/cancel`, { body: { force: true } });
  });
});

/**
 * Makes the two screenshots `docs/dashboard.md` and the README show, from
 * the real dashboard against a local stack: the release list, and a release
 * mid-rollout (`docs/images/dashboard-list.png`, `dashboard-release.png`).
 *
 *   npx tsx bench/dashboard-screenshots.ts
 *
 * The stack's clock is driven by hand, so every run shows the same
 * releases at the same point; it prints each file's size (kept at most
 * 120 KB, as committed images should be small).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDashboard } from '../build/dashboard-bundle.mjs';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { type LocalStack, startLocalStack } from '../local/endpoints.js';
import { openBrowser } from '../test/support/browser.js';

const imagesDir = join(import.meta.dirname, '..', 'docs', 'images');
const maxBytes = 120 * 1024;

interface View {
  release: { status: string };
  waves: { status: string; expectedThings?: number; counts?: { numberOfSucceededThings: number } }[];
}

async function post(stack: LocalStack, path: string, body: object): Promise<void> {
  const res = await fetch(stack.apiUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
}

/** Drives the stack's clock until the release's view satisfies `done`. */
async function runUntil(stack: LocalStack, releaseId: string, done: (view: View) => boolean, what: string) {
  await stack.workflow.driver.runUntil(
    async () => done((await (await fetch(`${stack.apiUrl}/releases/${releaseId}`)).json()) as View),
    { what: `${releaseId}: ${what}` },
  );
}

const stack = await startLocalStack({
  awsPort: 0,
  apiPort: 0,
  logLevel: 'ERROR',
  clock: new VirtualClock({ start: Date.UTC(2026, 2, 2, 9, 0), mode: { kind: 'manual' } }),
  fleet: { size: 200, canaryShare: 0.05 },
  profiles: {
    default: {
      outcomes: { fail: 0.03, reject: 0.01 },
      startLatency: { medianSeconds: 20, spread: 0.5 },
      runLatency: { medianSeconds: 240, spread: 0.6 },
    },
    overrides: [],
  },
});
const browser = await openBrowser({ viewport: { width: 1100, height: 860 } });
try {
  await buildDashboard();
  await post(stack, '/job-templates', {
    jobTemplateId: 'fw-2-0',
    description: 'Firmware 2.0.0',
    document: JSON.stringify({ operation: 'install', version: '2.0.0' }),
  });
  // Each release is created, then the clock runs until it stands where the pictures show it.
  const releases: {
    releaseId: string;
    description: string;
    targets: string;
    waves: object[];
    until: (v: View) => boolean;
  }[] = [
    {
      releaseId: 'fw-2-0-lab',
      description: 'The canary cohort first',
      targets: 'canary-bad',
      waves: [{ percentage: 100, successThresholdPercent: 80, failureThresholdPercent: 20 }],
      until: (v) => v.release.status === 'SUCCEEDED',
    },
    {
      releaseId: 'fw-2-0-canary-eu',
      description: 'Canary in the EU, approved by hand',
      targets: 'fleet',
      waves: [
        { percentage: 5, requireApproval: true, successThresholdPercent: 70, failureThresholdPercent: 30 },
        { percentage: 100 },
      ],
      until: (v) => v.release.status === 'WAITING_APPROVAL',
    },
    {
      releaseId: 'fw-2-0-fleet',
      description: 'The whole fleet in three waves',
      targets: 'fleet',
      waves: [
        { percentage: 10, failureThresholdPercent: 20, successThresholdPercent: 80 },
        { percentage: 40, failureThresholdPercent: 15, successThresholdPercent: 85 },
        { percentage: 100, failureThresholdPercent: 20, successThresholdPercent: 80 },
      ],
      // Mid-rollout: wave 2 about halfway.
      until: (v) => {
        const wave = v.waves[1];
        const succeeded = wave?.counts?.numberOfSucceededThings ?? 0;
        return (
          wave?.status === 'IN_PROGRESS' &&
          succeeded >= 0.45 * (wave.expectedThings ?? Number.POSITIVE_INFINITY)
        );
      },
    },
  ];
  for (const { until, targets, ...release } of releases) {
    await post(stack, '/releases', {
      ...release,
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: [targets] },
    });
    await runUntil(stack, release.releaseId, until, 'where the screenshots show it');
  }

  const { page } = browser;
  const shots = [
    { file: 'dashboard-list.png', url: '/', ready: 'tr[data-release="fw-2-0-fleet"]', height: 420 },
    {
      file: 'dashboard-release.png',
      url: '/dashboard/releases/fw-2-0-fleet',
      ready: 'table.reasons',
      height: 860,
    },
  ];
  for (const shot of shots) {
    await page.goto(stack.apiUrl + shot.url);
    await page.locator(shot.ready).waitFor();
    const path = join(imagesDir, shot.file);
    await page.screenshot({ path, clip: { x: 0, y: 0, width: 1100, height: shot.height } });
    const { size } = await stat(path);
    console.log(`${shot.file}: ${(size / 1024).toFixed(1)} KB`);
    if (size > maxBytes) throw new Error(`${shot.file} is ${size} bytes, over ${maxBytes}`);
  }
} finally {
  await browser.close();
  await stack.close();
}

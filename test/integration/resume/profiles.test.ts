/**
 * `--data-dir` keeps the fleet simulator's behaviour profiles: set through
 * the simulator (as `PUT /_fleetwave/fleet/profiles` sets them), written in
 * `iot.json`, and in force again after a restart. A snapshot written before
 * they were kept leaves the profiles the stack starts with.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { iotSnapshotFile } from '../../../local/resume/iot-snapshot.js';
import { localBanner } from '../../../local/start/banner.js';
import { startDataDirStack } from '../../support/data-dir-stack.js';
import { fixedProfile } from '../../support/fleet.js';

const fleet = { size: 10, seed: 'profiles-resume' };

const launch = (dataDir: string) => startDataDirStack(dataDir, fleet);

const flaky = fixedProfile({ outcomes: { fail: 0.3, hang: 0.1 }, startSeconds: 4, runSeconds: 90 }, [
  { name: 'slow canaries', match: { thingGroup: 'canary-bad' }, runLatency: { medianSeconds: 900 } },
]);

describe('--data-dir keeps the behaviour profiles', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwave-profiles-resume-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('brings back the profiles set before the restart, and leaves the start-up ones with a snapshot that has none', async () => {
    const first = await launch(dataDir);
    const startUp = first.stack.fleet.simulator.getProfiles();
    try {
      expect(startUp).not.toEqual(flaky);
      first.stack.fleet.simulator.setProfiles(flaky);
    } finally {
      await first.close();
    }
    const file = join(dataDir, iotSnapshotFile);
    expect(JSON.parse(readFileSync(file, 'utf8')).profiles).toEqual(flaky);

    const second = await launch(dataDir);
    try {
      expect(second.restored?.profiles).toBe(true);
      expect(localBanner(second, { factor: 1, dataDir })).toMatch(/restored .*, the behaviour profiles$/m);
      expect(second.stack.fleet.simulator.getProfiles()).toEqual(flaky);
    } finally {
      await second.close();
    }

    // A snapshot written before the profiles were kept.
    const { profiles: _profiles, ...older } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify(older));
    const third = await launch(dataDir);
    try {
      expect(third.restored?.profiles).toBe(false);
      expect(third.stack.fleet.simulator.getProfiles()).toEqual(startUp);
    } finally {
      await third.close();
    }
  });
});

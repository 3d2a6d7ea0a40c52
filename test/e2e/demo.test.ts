/**
 * `npm run demo` on fast virtual time, with fixed release ids so each run
 * replays the same cohorts and device fates: with no stack at the API URL it
 * starts one in its own process, and its exit code mirrors the release's
 * outcome (0 SUCCEEDED, 1 FAILED).
 */
import { describe, expect, it } from 'vitest';
import { freePort, runProcess } from './npm-start-support.js';

/** `npm run demo -- <args>` with the API URL pointing at a port nothing serves. */
async function demo(args: readonly string[]) {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  return runProcess('npm', ['run', 'demo', '--silent', '--', '--time-scale', '3000', ...args], {
    FLEETWAVE_API_URL: nobody,
  });
}

describe('npm run demo', () => {
  it('starts its own stack, rolls the release out 1/10/50/100 % and exits 0 on SUCCEEDED', async () => {
    const { code, stdout, stderr } = await demo([
      '--fleet-size',
      '1000',
      '--release-id',
      'demo-20260101000000',
    ]);
    expect(stdout).toContain('starting one in this process (1000 things)');
    expect(stdout).toMatch(/wave 1 \(1%\) SUCCEEDED/);
    expect(stdout).toMatch(/wave 4 \(100%\) SUCCEEDED/);
    expect(stderr).toMatch(/Release demo-\d+ SUCCEEDED/);
    expect(code).toBe(0);
  });

  it('--with-failure aims it at canary-bad: the failure threshold stops it and it exits 1', async () => {
    const { code, stdout, stderr } = await demo([
      '--fleet-size',
      '1000',
      '--with-failure',
      '--release-id',
      'demo-bad-20260101000000',
    ]);
    expect(stdout).toContain('misbehaving canary-bad cohort');
    expect(stdout).toMatch(/reaching the failure threshold of 10%|abort criteria met/);
    expect(stderr).toMatch(/Release demo-bad-\d+ FAILED/);
    expect(code).toBe(1);
  });
});

/**
 * `npm run demo` on fast virtual time, with fixed release ids so each run
 * replays the same cohorts and device fates: with no stack at the API URL it
 * starts one in its own process, and its exit code mirrors the release's
 * outcome (0 SUCCEEDED, 1 FAILED). It takes the flags `npm start` takes and
 * refuses others as `npm start` does.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.js';
import { freePort, runProcess } from './npm-start-support.js';

/** `npm run demo -- <args>` with the API URL pointing at a port nothing serves. */
async function demo(args: readonly string[]) {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  return runProcess('npm', ['run', 'demo', '--silent', '--', '--time-scale', '3000', ...args], {
    FLEETWAVE_API_URL: nobody,
  });
}

describe('npm run demo', () => {
  it('starts its own stack on the --api-port given, rolls the release out 1/10/50/100 % and exits 0 on SUCCEEDED', async () => {
    const apiPort = await freePort();
    const { code, stdout, stderr } = await demo([
      '--fleet-size',
      '1000',
      '--api-port',
      String(apiPort),
      '--release-id',
      'demo-20260101000000',
    ]);
    expect(stdout).toContain(
      `No stack answers at http://127.0.0.1:${apiPort}: starting one in this process (1000 things)`,
    );
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

  it('refuses a flag npm start does not take: a usage error, exit 64, no stack trace', async () => {
    const { code, stdout, stderr } = await demo(['--bogus']);
    expect(code).toBe(ExitCode.USAGE);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^npm run demo: Unknown option '--bogus'\n\nUsage: npm run demo -- \[options\]/);
    expect(stderr).toContain('--api-port N');
    expect(stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
  });

  it('refuses a bad value of a flag it shares with npm start the way npm start does', async () => {
    const { code, stderr } = await demo(['--api-port', '70000']);
    expect(code).toBe(ExitCode.USAGE);
    expect(stderr).toMatch(/^npm run demo: --api-port must be an integer from 0 to 65535, got "70000"/);
  });
});

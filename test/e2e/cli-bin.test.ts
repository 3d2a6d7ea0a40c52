/**
 * The `fleetwave` executable as package.json's `bin` runs it: a real Node
 * process loading the TypeScript entry through tsx, with real exit codes
 * and streams.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.js';
import { deadApiUrl } from './cli-fake-api.js';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};
const bin = new URL(pkg.bin.fleetwave as string, root).pathname;

function fleetwave(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: new URL('.', root).pathname, env: { ...process.env, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the fleetwave executable', () => {
  it('runs the TypeScript CLI with no build step: --version prints the package version', async () => {
    const { code, stdout } = await fleetwave(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  it('exits 69 with the advice on stderr when the API is down, stdout empty', async () => {
    const url = await deadApiUrl();
    const { code, stdout, stderr } = await fleetwave(['releases', 'list'], { FLEETWAVE_API_URL: url });
    expect(code).toBe(ExitCode.API_UNREACHABLE);
    expect(stdout).toBe('');
    expect(stderr).toContain(`Cannot reach the fleetwave API at ${url} (connection refused)`);
  });

  it('exits 64 for a usage error', async () => {
    const { code, stderr } = await fleetwave(['releases', 'create', '--wavs', '100']);
    expect(code).toBe(ExitCode.USAGE);
    expect(stderr).toContain("Did you mean '--waves'?");
  });

  it('hands `local --help` to the local stack’s own parser', async () => {
    const { code, stdout } = await fleetwave(['local', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: fleetwave local [options]');
    expect(stdout).toContain('--time-factor N');
  });
});

/** The shell examples of the project's Markdown docs, for the tests that run them as written. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A document of the repository, by its path from the root (`docs/devices.md`). */
export function readDoc(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}

/** The one ```sh block of `doc` that contains `marker`; throws unless exactly one does. */
export function shBlockOf(doc: string, marker: string): string {
  const blocks = [...doc.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  const found = blocks.filter((b) => b.includes(marker));
  if (found.length !== 1) throw new Error(`${found.length} sh blocks contain ${marker}, not one`);
  return found[0] as string;
}

/**
 * A PATH on which `aws` is Debian's AWS CLI v2 (`/usr/bin/aws`, what
 * `.ci/run` installs and the README names), whatever else the machine has
 * first on PATH, so the docs' examples are held to the same CLI here and on
 * CI. The link lives in a temporary directory removed when the process exits.
 */
export function pathWithDebianAws(): string {
  if (cliDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'fleetwave-doc-cli-'));
    symlinkSync('/usr/bin/aws', join(dir, 'aws'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    cliDir = dir;
  }
  return `${cliDir}:${process.env.PATH ?? ''}`;
}

let cliDir: string | undefined;

/**
 * Runs a doc's shell `script` in bash from the repository root against a
 * stack on other ports than the docs' defaults (API 3000, AWS endpoint
 * 4566, which it rewrites), with Debian's AWS CLI on PATH. Any failing
 * command, or curl answered with an HTTP error, fails the run; resolves stdout.
 * `env` adds variables the script reads.
 */
export function runShellExample(
  stack: { apiUrl: string; awsUrl: string },
  script: string,
  env: Record<string, string> = {},
): Promise<string> {
  const body = script
    .replaceAll('http://127.0.0.1:3000', stack.apiUrl)
    .replaceAll('http://127.0.0.1:4566', stack.awsUrl);
  const prelude = 'set -eu\ncurl() { command curl -sS --fail-with-body "$@"; echo; }\n';
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', prelude + body],
      {
        cwd: new URL('../..', import.meta.url).pathname,
        env: { ...process.env, PATH: pathWithDebianAws(), ...env },
        timeout: 200_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`example failed: ${stderr}\n${stdout}`)) : resolve(stdout),
    );
  });
}

/**
 * The `fleetwave` executable as package.json's `bin` runs it: a real Node
 * process running the CLI bundle (dist/fleetwave.mjs, which `npm install`
 * builds), with real exit codes and streams. The bundle is built here when
 * missing, checked against a build of the current sources, and `fleetwave
 * local` runs the local stack from it.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleFile, buildCliBundle, cliBundlePath } from '../../build/cli-bundle.mjs';
import { ExitCode } from '../../cli/exit-codes.js';
import { deadApiUrl, type FakeApi, startFakeApi } from './cli-fake-api.js';
import { groupAlive, postDemoRelease, type StartedStack, startFleetwaveLocal } from './npm-start-support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};
const bin = join(root, pkg.bin.fleetwave as string);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      [file, ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const fleetwave = (args: string[], env: Record<string, string> = {}) => run(bin, args, env);

/** A release summary as `GET /releases` lists it. */
const summary = {
  releaseId: 'eu-2-5',
  status: 'IN_PROGRESS',
  jobTemplateId: 'fw-2-5',
  currentWave: 1,
  waveCount: 3,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:05:00.000Z',
};

beforeAll(async () => {
  // CI builds the bundle in `npm ci` (the `prepare` script); a clone installed with
  // --ignore-scripts has none, and these tests are about the bundle, not the fallback.
  if (!existsSync(cliBundlePath)) await buildCliBundle();
});

describe('the fleetwave executable', () => {
  let built: BundleFile[];
  beforeAll(async () => {
    built = await buildCliBundle({ write: false });
  });

  it('runs the bundle, built from the current sources', () => {
    expect(pkg.bin.fleetwave).toBe('cli/bin/fleetwave.mjs');
    const stale: string[] = [];
    for (const file of built) {
      const onDisk = existsSync(file.path) ? readFileSync(file.path, 'utf8') : undefined;
      if (onDisk !== file.text) stale.push(relative(root, file.path));
    }
    expect(
      stale,
      `${stale.join(', ')} differ from a build of the current sources: run \`npm run build:cli\``,
    ).toEqual([]);
  });

  it('bundles the CLI, the parts of lib/ it uses, the dashboard’s file server and cross-site guard (fleetwave dashboard), zod, yaml and croner (maintenance windows are checked before they are sent); not the SDK, its signer, the local stack, tsx or zod’s locales', () => {
    const bundle = built.find((file) => file.path === cliBundlePath)?.text ?? '';
    // esbuild names each module it bundles in a `// <path>` comment above its code.
    const modules = new Set(
      [...bundle.matchAll(/^\/\/ ((?:node_modules\/(?:@[^/\n]+\/)?[^/\n]+)|[^/\n]+)\/\S+$/gm)].map(
        (m) => m[1],
      ),
    );
    expect([...modules].sort()).toEqual([
      'cli',
      'dashboard',
      'lib',
      'node_modules/croner',
      'node_modules/yaml',
      'node_modules/zod',
    ]);
    expect(bundle).not.toContain('// node_modules/zod/v4/locales/he.js');
    expect(bundle).toContain('import("tsx").then(() => import("../local/');
    // The SigV4 signer and the credential chain stay in node_modules, imported only by a signed request.
    expect(bundle).toContain('import("@smithy/signature-v4")');
    expect(bundle).toContain('import("@aws-sdk/credential-provider-node")');
    expect(bundle).not.toMatch(/^import .*@smithy|^import .*@aws-sdk/m);
  });

  it('--version prints the package version, and nothing on stderr (no fallback note)', async () => {
    const { code, stdout, stderr } = await fleetwave(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(stderr).toBe('');
  });

  it('--help lists the command groups', async () => {
    const { code, stdout, stderr } = await fleetwave(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: fleetwave');
    expect(stdout).toMatch(/releases list/);
    expect(stdout).toMatch(/templates create/);
    expect(stderr).toBe('');
  });

  it('exits 64 for a usage error', async () => {
    const { code, stderr } = await fleetwave(['releases', 'create', '--wavs', '100']);
    expect(code).toBe(ExitCode.USAGE);
    expect(stderr).toContain("Did you mean '--waves'?");
  });

  it('exits 69 with the advice on stderr when the API is down, stdout empty', async () => {
    const url = await deadApiUrl();
    const { code, stdout, stderr } = await fleetwave(['releases', 'list'], { FLEETWAVE_API_URL: url });
    expect(code).toBe(ExitCode.API_UNREACHABLE);
    expect(stdout).toBe('');
    expect(stderr).toContain(`Cannot reach the fleetwave API at ${url} (connection refused)`);
  });

  it('hands `local --help` to the local stack’s own parser', async () => {
    const { code, stdout } = await fleetwave(['local', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: fleetwave local [options]');
    expect(stdout).toContain('--time-factor N');
  });
});

describe('the fleetwave executable against an API', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeApi();
  });
  afterAll(() => api?.close());

  it('releases list: one GET /releases, the table on stdout', async () => {
    api.handle(() => ({ status: 200, body: { items: [summary] } }));
    const { code, stdout, stderr } = await fleetwave(['releases', 'list'], { FLEETWAVE_API_URL: api.url });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(['GET /releases']);
    expect(stdout).toMatch(/eu-2-5\s+IN_PROGRESS\s+fw-2-5\s/);
  });

  it('reads a YAML request file with the parser it loads on demand', async () => {
    const dir = mkdtempSync(join(root, 'dist', 'cli-bin-test-'));
    try {
      const file = join(dir, 'release.yaml');
      // `waves: [10, 100` is cut short: the parser's own message must come back.
      writeFileSync(file, 'jobTemplateId: fw-2-5\ntargets:\n  thingGroups: [fleet]\nwaves: [10, 100\n');
      const { code, stderr } = await fleetwave(['releases', 'create', '-f', file], {
        FLEETWAVE_API_URL: api.url,
      });
      expect(code).toBe(ExitCode.DATA);
      expect(stderr).toContain(`${file} is not valid YAML at line 5`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the fleetwave executable without its bundle', () => {
  it('says how to build it and runs the TypeScript sources through tsx', async () => {
    // The launcher as installed, beside sources but no dist/ (what `npm ci --ignore-scripts` leaves).
    const copy = mkdtempSync(join(root, 'dist', 'no-bundle-'));
    try {
      mkdirSync(join(copy, 'cli', 'bin'), { recursive: true });
      copyFileSync(bin, join(copy, 'cli', 'bin', 'fleetwave.mjs'));
      symlinkSync(join(root, 'cli', 'main.ts'), join(copy, 'cli', 'main.ts'));
      const { code, stdout, stderr } = await run(join(copy, 'cli', 'bin', 'fleetwave.mjs'), ['--version']);
      expect(stderr).toContain('dist/fleetwave.mjs is missing');
      expect(stderr).toContain('`npm run build:cli` builds it');
      expect(code).toBe(0);
      expect(stdout).toBe(`${pkg.version}\n`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('fleetwave local, run from the bundle', () => {
  let stack: StartedStack;
  beforeAll(async () => {
    stack = await startFleetwaveLocal(['--fleet-size', '50', '--time-scale', '2000']);
  });
  afterAll(async () => {
    if (stack && groupAlive(stack.child.pid as number)) await stack.stop('SIGKILL');
  });

  it('serves the stack; releases list through the bundle shows a release; Ctrl-C stops it', async () => {
    expect(stack.output()).toContain('Press Ctrl-C to stop.');
    expect(await postDemoRelease(stack.apiUrl, 'bin-local', [{ percentage: 100 }])).toBe(202);
    const listed = await fleetwave(['releases', 'list'], { FLEETWAVE_API_URL: stack.apiUrl });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/bin-local\s+\w+\s+demo-ota\s/);
    expect(await stack.stop('SIGINT')).toBe(0);
  });
});

/**
 * Packages the service exactly as `npm run package` does (`serverless
 * package`, serverless-esbuild, offline) and describes each function's
 * deployment zip: its size packed and unpacked, its files, and its bundle
 * unpacked where Node can import it.
 *
 * The packaging runs on a copy of the project in a temporary directory
 * (sharing `node_modules` through a link): serverless-esbuild builds in
 * `<service>/.esbuild` and Serverless stages artifacts in
 * `<service>/.serverless`, and two packagings of one checkout at the same
 * time would delete each other's files. The bundles are unpacked outside
 * that copy, where no `node_modules` can be found, so a bundle that imports
 * anything it does not carry fails to load, as it would on Lambda.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../local/serverless-yml.js';
import { readZip, type ZipEntry } from './bundle-zip.js';

const run = promisify(execFile);

/**
 * The reference functions {@link PackageOptions.baselines} adds, bundled and
 * zipped by the same pipeline: an empty handler (what importing any bundle
 * costs at the least), and a handler that only imports the SDK's IoT client,
 * which every fleetwave function uses (what the SDK costs before any of
 * fleetwave's own code).
 */
export const baselineFunctions = {
  empty: 'bundleBaselineEmpty',
  sdkClient: 'bundleBaselineSdkClient',
} as const;

const baselineSources: Record<keyof typeof baselineFunctions, { file: string; source: string }> = {
  empty: {
    file: 'bench-baseline/empty-handler.ts',
    source: '/** An empty Lambda handler. */\nexport const handler = async (): Promise<unknown> => ({});\n',
  },
  sdkClient: {
    file: 'bench-baseline/sdk-client-handler.ts',
    source:
      "import { IoTClient } from '@aws-sdk/client-iot';\n" +
      '/** A Lambda handler that only builds an SDK client, when called. */\n' +
      'export const handler = async (): Promise<unknown> => new IoTClient({});\n',
  },
};

/** One packaged function. */
export interface PackagedFunction {
  /** The function's key in `serverless.yml`, e.g. `getRelease`. */
  readonly name: string;
  /** Its handler setting, e.g. `functions/api/get-release.handler`. */
  readonly handler: string;
  readonly zipPath: string;
  /** Size of the deployment zip. */
  readonly zipBytes: number;
  /** Sum of the unpacked sizes of the zip's files. */
  readonly unzippedBytes: number;
  /** The files in the zip. */
  readonly entries: readonly Omit<ZipEntry, 'data'>[];
  /** Absolute path of the handler's module, unpacked from the zip. */
  readonly modulePath: string;
  /** The export Lambda calls, e.g. `handler`. */
  readonly exportName: string;
  /** The function's environment variables that are plain strings (CloudFormation references left out). */
  readonly environment: Readonly<Record<string, string>>;
}

/** The outcome of one packaging run; {@link PackagedService.remove} deletes every file it made. */
export interface PackagedService {
  /** Every function, sorted by name; the baselines among them when asked for. */
  readonly functions: readonly PackagedFunction[];
  /** Where the zips and the CloudFormation template are. */
  readonly packageDir: string;
  readonly remove: () => Promise<void>;
}

/** Options of {@link packageService}. */
export interface PackageOptions {
  /** Also package the {@link baselineFunctions}, for points of comparison. */
  readonly baselines?: boolean;
  /** `--region`; serverless.yml's default when absent. */
  readonly region?: string;
}

interface TemplateFunction {
  Type: string;
  Properties: {
    Handler?: string;
    Code?: { S3Key?: unknown };
    Environment?: { Variables?: Record<string, unknown> };
  };
}

/** Copies what packaging reads: everything but dependencies, VCS data, build output and local data. */
async function copyProject(into: string): Promise<void> {
  const skipped = new Set(['node_modules', 'dist', 'coverage']);
  await cp(projectRoot, into, {
    recursive: true,
    filter: (source) => {
      const path = relative(projectRoot, source);
      return path === '' || !path.split(sep).some((part) => part.startsWith('.') || skipped.has(part));
    },
  });
  await symlink(join(projectRoot, 'node_modules'), join(into, 'node_modules'), 'dir');
}

/** Declares the baseline functions in the copy's serverless.yml, first among the functions. */
async function addBaselines(service: string): Promise<void> {
  let declarations = '';
  for (const [kind, { file, source }] of Object.entries(baselineSources)) {
    await mkdir(join(service, dirname(file)), { recursive: true });
    await writeFile(join(service, file), source);
    const name = baselineFunctions[kind as keyof typeof baselineFunctions];
    declarations += `  ${name}:\n    handler: ${file.replace(/\.ts$/, '.handler')}\n`;
  }
  const ymlPath = join(service, 'serverless.yml');
  const yml = await readFile(ymlPath, 'utf8');
  const functions = /^functions:[ \t]*\n/m;
  if (!functions.test(yml)) throw new Error('serverless.yml has no top-level `functions:` block');
  await writeFile(ymlPath, yml.replace(functions, `functions:\n${declarations}`));
}

async function describeFunction(
  name: string,
  resource: TemplateFunction,
  packageDir: string,
  unzipDir: string,
): Promise<PackagedFunction> {
  const handler = resource.Properties.Handler;
  if (!handler) throw new Error(`${name}: no Handler in the template`);
  const dot = handler.lastIndexOf('.');
  const moduleBase = handler.slice(0, dot);
  const zipPath = join(packageDir, `${name}.zip`);
  const entries = await readZip(zipPath);
  for (const entry of entries) {
    const target = join(unzipDir, name, entry.name);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, entry.data());
  }
  const handlerModule = entries.find((e) => e.name.replace(/\.[cm]?js$/, '') === moduleBase);
  if (!handlerModule) throw new Error(`${name}: the zip has no module for handler ${handler}`);
  const variables = resource.Properties.Environment?.Variables ?? {};
  return {
    name,
    handler,
    zipPath,
    zipBytes: (await stat(zipPath)).size,
    unzippedBytes: entries.reduce((sum, e) => sum + e.bytes, 0),
    entries: entries.map(({ name: file, bytes, compressedBytes }) => ({
      name: file,
      bytes,
      compressedBytes,
    })),
    modulePath: join(unzipDir, name, handlerModule.name),
    exportName: handler.slice(dot + 1),
    environment: Object.fromEntries(
      Object.entries(variables).filter((kv): kv is [string, string] => typeof kv[1] === 'string'),
    ),
  };
}

/**
 * Runs `serverless package --stage ci` on a copy of the project and unpacks
 * every function's zip. Takes about 10 s; call {@link PackagedService.remove}
 * when done.
 */
export async function packageService(options: PackageOptions = {}): Promise<PackagedService> {
  const work = await mkdtemp(join(tmpdir(), 'fleetwave-bundles-'));
  const remove = () => rm(work, { recursive: true, force: true });
  try {
    const service = join(work, 'service');
    const packageDir = join(work, 'package');
    await copyProject(service);
    if (options.baselines) await addBaselines(service);
    await run(
      join(projectRoot, 'node_modules/.bin/serverless'),
      [
        'package',
        '--stage',
        'ci',
        '--package',
        packageDir,
        ...(options.region ? ['--region', options.region] : []),
      ],
      {
        cwd: service,
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const template = JSON.parse(
      await readFile(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as { Resources: Record<string, TemplateFunction> };
    const lambdas = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const functions = await Promise.all(
      lambdas.map((resource) => {
        const key = resource.Properties.Code?.S3Key;
        if (typeof key !== 'string') throw new Error('a function has no S3Key in the template');
        return describeFunction(basename(key, '.zip'), resource, packageDir, join(work, 'unzipped'));
      }),
    );
    functions.sort((a, b) => a.name.localeCompare(b.name));
    return { functions, packageDir, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

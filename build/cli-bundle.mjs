/**
 * The `fleetwave` command as one ES module, `dist/fleetwave.mjs`, so a call
 * starts like a native tool: Node loads one file of plain JavaScript instead
 * of compiling about 40 TypeScript modules through tsx at every start.
 *
 *   node build/cli-bundle.mjs       (`npm run build:cli`; npm runs it on `npm install` and `npm ci`
 *                                    through the `prepare` script)
 *
 * `cli/bin/fleetwave.mjs` (package.json `bin`) runs the bundle, or the
 * TypeScript sources through tsx when the bundle was never built.
 *
 * What is in the bundle: `cli/**`, the parts of `lib/` the CLI imports, and
 * the packages they use (zod, yaml). What is not:
 * - the local stack. `fleetwave local` imports it on demand (dynalite,
 *   aws-local-stepfunctions, the AWS SDK, TypeScript run through tsx), and it
 *   would cost every other command its load time. The local-stack-from-source
 *   plugin below leaves that import out of the bundle and loads the stack's
 *   TypeScript source through tsx when the command runs, as `npm start` does;
 * - tsx, which only that command needs.
 *
 * The bundle sits one folder below the project root on purpose:
 * `cli/version.ts` reads `../package.json` beside its own module, which from
 * `dist/fleetwave.mjs` is the project's package.json, as it is from
 * `cli/version.ts`.
 *
 * Nothing here is seen by serverless-esbuild: the Lambda bundles are built
 * from the `handler` paths in serverless.yml into `.esbuild/`, and `dist/` is
 * neither an entry point nor packaged.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm install` puts the bundle; gitignored, as all of `dist/` is. */
export const cliBundlePath = join(root, 'dist', 'fleetwave.mjs');

/**
 * What signing with SigV4 needs (`cli/api/sigv4-fetch.ts`), left out of the
 * bundle: the credential chain alone is larger than the rest of the CLI, and
 * only a command that signs imports it.
 */
const sigV4Packages = ['@smithy/signature-v4', '@smithy/core', '@aws-sdk/credential-provider-node'];

/** A specifier the plugin writes for a local-stack module; resolved to an external path below. */
const sourcePrefix = 'fleetwave-typescript-source:';

/**
 * `source` with each `import('<specifier>')` whose specifier `isLocal`
 * accepts turned into `import('tsx').then(() => import('<prefix><specifier>'))`:
 * tsx's loader is registered first, so the TypeScript module can load.
 * Undefined when nothing matches.
 * @param {string} source
 * @param {(specifier: string) => boolean} isLocal
 * @returns {string | undefined}
 */
function importLocalThroughTsx(source, isLocal) {
  let changed = false;
  const result = source.replace(/\bimport\((['"])([^'"\\]+)\1\)/g, (call, quote, specifier) => {
    if (!isLocal(specifier)) return call;
    changed = true;
    return `import('tsx').then(() => import(${quote}${sourcePrefix}${specifier}${quote}))`;
  });
  return changed ? result : undefined;
}

/**
 * local-stack-from-source: the CLI's `import()` of a module under `local/`
 * stays an `import()` of that module's TypeScript file, relative to the
 * bundle, preceded by loading tsx. The import itself stays where it is in the
 * source, so tests (which run the sources) and the bundle load the same module.
 * @param {string} outdir the folder the bundle is written to
 * @returns {import('esbuild').Plugin}
 */
function localStackFromSource(outdir) {
  const cliDir = join(root, 'cli') + sep;
  const localDir = join(root, 'local') + sep;
  return {
    name: 'local-stack-from-source',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
        if (!path.startsWith(cliDir)) return undefined;
        const source = await readFile(path, 'utf8');
        if (!source.includes('import(')) return undefined;
        const contents = importLocalThroughTsx(source, (specifier) =>
          resolve(dirname(path), specifier).startsWith(localDir),
        );
        return contents === undefined ? undefined : { contents, loader: 'ts' };
      });
      build.onResolve({ filter: new RegExp(`^${sourcePrefix}`) }, ({ path, resolveDir }) => {
        // The source files are TypeScript; their imports name the `.js` they compile to.
        const file = resolve(resolveDir, path.slice(sourcePrefix.length)).replace(/\.js$/, '.ts');
        const fromBundle = relative(outdir, file).split(sep).join('/');
        return { path: fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`, external: true };
      });
    },
  };
}

/**
 * Builds the CLI bundle from the sources: `fleetwave.mjs` and its source map.
 * Modules the CLI imports on demand (the YAML parser) are in the same file,
 * where V8 only skims them until the `import()` runs them: a separate chunk
 * would save little, and esbuild's chunk of a CommonJS package (yaml's Node
 * build is one) only has a default export, not the named ones Node gives.
 * @param {{ outdir?: string, write?: boolean }} [options] `write: false`
 *   only returns the files (the tests compare them with the bundle on disk).
 * @returns {Promise<{ path: string, text: string }[]>} the bundle's files
 */
export async function buildCliBundle({ outdir = dirname(cliBundlePath), write = true } = {}) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: { fleetwave: join(root, 'cli', 'main.ts') },
    outdir,
    write: false,
    bundle: true,
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // ES module builds first, so esbuild can leave out what the CLI never uses.
    mainFields: ['module', 'main'],
    // The SigV4 signer and the credential chain load from node_modules on the first signed request.
    external: ['tsx', ...sigV4Packages],
    // yaml's Node build is CommonJS and requires Node built-ins; a bundled ES module has no `require`.
    banner: {
      js: "import { createRequire as __fleetwaveRequire } from 'node:module'; const require = __fleetwaveRequire(import.meta.url);",
    },
    // Stack traces of an internal error name the source files (node --enable-source-maps).
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [localStackFromSource(outdir)],
  });
  const files = result.outputFiles.map(({ path, text }) => ({ path, text }));
  if (write) {
    await mkdir(outdir, { recursive: true });
    await Promise.all(files.map((file) => writeFile(file.path, file.text)));
  }
  return files;
}

// Run as a script (`npm run build:cli`, npm's `prepare`): build into dist/.
// An install without dev dependencies (`npm ci --omit=dev`) has no esbuild: it must not fail for that.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await buildCliBundle();
    console.log(`fleetwave: built ${relative(process.cwd(), cliBundlePath)}`);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'esbuild'")) throw error;
    console.warn(
      'fleetwave: esbuild (a dev dependency) is not installed; the fleetwave command is not built.',
    );
  }
}

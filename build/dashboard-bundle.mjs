/**
 * The dashboard as three files under `dist/dashboard/`: `index.html`,
 * `assets/app.js` (the Preact app from `dashboard/app/main.tsx`, minified)
 * and `assets/app.css`. `dashboard/serve/assets.ts` serves them.
 *
 *   node build/dashboard-bundle.mjs   (`npm run build:dashboard`; npm's `prepare` runs it on
 *                                      `npm install`, and `npm run package` before packaging)
 *
 * Everything the page uses is in these files: no CDN, no font or script from
 * elsewhere, so the dashboard works offline.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'dashboard', 'app');

/** Where the built dashboard goes; gitignored, as all of `dist/` is. */
export const dashboardDist = join(root, 'dist', 'dashboard');

/**
 * Builds the dashboard into `outdir` (`dist/dashboard/` by default).
 * @param {{ outdir?: string }} [options]
 * @returns {Promise<{ path: string, bytes: number }[]>} the files written
 */
export async function buildDashboard({ outdir = dashboardDist } = {}) {
  const { build } = await import('esbuild');
  const assets = join(outdir, 'assets');
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: join(source, 'main.tsx'), 'app-styles': join(source, 'styles.css') },
    outdir: assets,
    write: false,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(source, 'tsconfig.json'),
    legalComments: 'none',
    logLevel: 'warning',
  });
  await mkdir(assets, { recursive: true });
  // Each file replaces the last build's whole (a rename): a browser or a test reading meanwhile never sees half of one.
  const put = async (path, contents) => {
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, contents);
    await rename(partial, path);
  };
  const files = [];
  for (const file of result.outputFiles) {
    // The stylesheet's entry is named apart from the script's (esbuild would give both `app`); it is served as app.css.
    const path = file.path.endsWith('app-styles.css') ? join(assets, 'app.css') : file.path;
    await put(path, file.contents);
    files.push({ path, bytes: file.contents.length });
  }
  await put(join(outdir, 'index.html'), await readFile(join(source, 'index.html')));
  return files;
}

// Run as a script: build into dist/dashboard/. Without dev dependencies (no esbuild) there is nothing to build.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const files = await buildDashboard();
    const sizes = files.map((f) => `${relative(root, f.path)} ${(f.bytes / 1024).toFixed(1)} KB`).join(', ');
    console.log(`fleetwave: built the dashboard (${sizes})`);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'esbuild'")) throw error;
    console.warn('fleetwave: esbuild (a dev dependency) is not installed; the dashboard is not built.');
  }
}

#!/usr/bin/env node
// The `fleetwave` command (package.json `bin`). It runs the CLI bundle,
// dist/fleetwave.mjs, which `npm install` / `npm ci` build through the
// `prepare` script (build/cli-bundle.mjs): one file of JavaScript starts in a
// fraction of the time tsx takes to compile the TypeScript sources.
//
// When the bundle is missing (installed with --ignore-scripts, or dist/
// removed), the command still works: it says so on stderr, with the command
// that builds the bundle, and runs the TypeScript sources through tsx, as the
// tests do. This file stays plain JavaScript with no import of its own beyond
// Node's, so it costs next to nothing in front of the bundle.
import { existsSync } from 'node:fs';

const bundle = new URL('../../dist/fleetwave.mjs', import.meta.url);

if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(
    'fleetwave: dist/fleetwave.mjs is missing, so this runs the TypeScript sources (slower to start).\n' +
      'fleetwave: `npm run build:cli` builds it (npm install and npm ci do too).\n',
  );
  try {
    await import('tsx');
  } catch (error) {
    // tsx and esbuild are dev dependencies: an install without them (--omit=dev) can do neither.
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    process.stderr.write(
      'fleetwave: tsx is not installed either: run `npm install` (dev dependencies included).\n',
    );
    process.exit(70);
  }
  await import('../main.ts');
}

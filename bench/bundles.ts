/**
 * Benchmark: how lean each Lambda package is. Packages the service as
 * `npm run package` does (on a copy of the project, see
 * `support/bundle-package.ts`), plus two reference handlers bundled and zipped
 * by the same pipeline, then prints for every function:
 *
 * - the deployment zip's size and its unpacked size (what Lambda downloads
 *   and unpacks at a cold start);
 * - the time `await import(bundle)` takes in a fresh Node process (the part
 *   of a cold start the bundle decides), median of several runs, and the CPU
 *   time it used (steadier than the wall clock when other work shares the
 *   machine);
 * - that time against the empty handler's (Node's own floor), beside a
 *   handler that only imports the SDK's IoT client (the SDK's floor: every
 *   function uses it).
 *
 * Runs go round the functions in turn, so a burst of load on the machine
 * touches every function alike rather than one. Figures are printed, never
 * asserted; the size budget is checked by
 * `test/integration/packaging/bundles.test.ts`.
 *
 *   npx tsx bench/bundles.ts [runs]     (or `npm run bench -- bundles`; 7 runs by default)
 */
import { loadavg } from 'node:os';
import { reportResult } from './support/bench-result.js';
import { type ImportSample, importInFreshNode } from './support/bundle-import.js';
import { baselineFunctions, type PackagedFunction, packageService } from './support/bundle-package.js';

/** The largest zip a function may deploy as. */
const ZIP_BUDGET_BYTES = 300 * 1024;
const runs = Number(process.argv[2] ?? 7);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`runs must be a positive integer, got ${process.argv[2]}`);

interface Row {
  fn: PackagedFunction;
  importMs: number;
  importCpuMs: number;
  sinceStartMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const ms = (value: number) => Math.round(value * 10) / 10;

function table(rows: readonly Row[], empty: Row, sdkClient: Row): string[] {
  const lines = [
    '| function | zip (KB) | unzipped (KB) | files | import (ms) | import CPU (ms) | process start → imported (ms) | import ÷ empty handler |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const labels = new Map([
    [empty, `_empty handler_ (\`${empty.fn.name}\`)`],
    [sdkClient, `_IoT client only_ (\`${sdkClient.fn.name}\`)`],
  ]);
  for (const row of [empty, sdkClient, ...rows]) {
    const over = row.fn.zipBytes > ZIP_BUDGET_BYTES ? ' (over budget)' : '';
    lines.push(
      `| ${labels.get(row) ?? row.fn.name} | ${kb(row.fn.zipBytes)}${over} | ${kb(row.fn.unzippedBytes)} | ` +
        `${row.fn.entries.length} | ${ms(row.importMs)} | ${ms(row.importCpuMs)} | ${ms(row.sinceStartMs)} | ` +
        `${(row.importMs / empty.importMs).toFixed(1)} |`,
    );
  }
  return lines;
}

const loadAverage = loadavg()
  .map((n) => n.toFixed(2))
  .join(' ');
const started = performance.now();
const service = await packageService({ baselines: true });
try {
  const packagedMs = performance.now() - started;
  const samples = new Map<string, ImportSample[]>(service.functions.map((fn) => [fn.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const fn of service.functions) samples.get(fn.name)!.push(await importInFreshNode(fn));
  }
  const all = service.functions.map((fn): Row => {
    const mine = samples.get(fn.name)!;
    const notFunction = mine.find((s) => s.exportType !== 'function');
    if (notFunction) throw new Error(`${fn.name}: export ${fn.exportName} is a ${notFunction.exportType}`);
    return {
      fn,
      importMs: median(mine.map((s) => s.importMs)),
      importCpuMs: median(mine.map((s) => s.importCpuMs)),
      sinceStartMs: median(mine.map((s) => s.sinceStartMs)),
    };
  });
  const byName = (name: string) => all.find((r) => r.fn.name === name)!;
  const empty = byName(baselineFunctions.empty);
  const sdkClient = byName(baselineFunctions.sdkClient);
  const rows = all.filter((r) => r !== empty && r !== sdkClient);

  console.log(
    `Packaged ${rows.length} functions in ${(packagedMs / 1000).toFixed(1)} s (serverless package).`,
  );
  console.log(`Goals: each zip ≤ ${ZIP_BUDGET_BYTES / 1024} KB; import close to the empty handler's.`);
  console.log(`Import times: median of ${runs} fresh Node ${process.version} processes per function.`);
  console.log(`Load average at the start: ${loadAverage}.\n`);
  console.log(table(rows, empty, sdkClient).join('\n'));

  const largest = rows.reduce((a, b) => (b.fn.zipBytes > a.fn.zipBytes ? b : a));
  const slowest = rows.reduce((a, b) => (b.importMs > a.importMs ? b : a));
  const goal = `≤ ${ZIP_BUDGET_BYTES / 1024} KB`;
  const near = `close to the empty handler (${ms(empty.importMs)} ms)`;
  reportResult({
    benchmark: 'bundles',
    description:
      `each function's deployment zip (\`serverless package\`) and the median time, of ${runs} fresh ` +
      'Node processes, to `await import()` its bundle, beside an empty handler and one that only ' +
      'imports the IoT client, bundled the same way',
    figures: [
      { name: 'empty handler: import', value: ms(empty.importMs), unit: 'ms' },
      { name: 'IoT client only: import', value: ms(sdkClient.importMs), unit: 'ms' },
      { name: 'empty handler: import CPU', value: ms(empty.importCpuMs), unit: 'ms' },
      { name: 'IoT client only: import CPU', value: ms(sdkClient.importCpuMs), unit: 'ms' },
      { name: `largest zip (${largest.fn.name})`, value: kb(largest.fn.zipBytes), unit: 'KB', goal },
      { name: `slowest import (${slowest.fn.name})`, value: ms(slowest.importMs), unit: 'ms', goal: near },
      {
        name: 'slowest import ÷ empty handler',
        value: Math.round((slowest.importMs / empty.importMs) * 10) / 10,
        unit: '×',
      },
      ...rows.flatMap((r) => [
        { name: `${r.fn.name}: zip`, value: kb(r.fn.zipBytes), unit: 'KB', goal },
        { name: `${r.fn.name}: import`, value: ms(r.importMs), unit: 'ms', goal: near },
      ]),
    ],
  });
} finally {
  await service.remove();
}

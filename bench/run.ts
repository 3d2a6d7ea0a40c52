/**
 * `npm run bench`: runs every benchmark in `bench/*.ts` (this file aside),
 * each in its own Node process so that memory figures are its own, then
 * writes the figures with the machine they were measured on to
 * `bench/results/<YYYY-MM-DD>.md` and prints that table.
 *
 *   npm run bench              every benchmark
 *   npm run bench -- fleet     only the named ones
 *
 * Benchmarks print figures; nothing here passes or fails on a time.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchResult, parseResults } from './support/bench-result.js';

const benchDir = dirname(fileURLToPath(import.meta.url));

interface Outcome {
  name: string;
  results: BenchResult[];
  exitCode: number | null;
}

/** Runs one benchmark file with tsx in a child process, echoing its output. */
function runOne(file: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: join(benchDir, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (exitCode) =>
      resolve({ name: basename(file, '.ts'), results: parseResults(output), exitCode }),
    );
  });
}

function machine(): string[] {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    `- CPU: ${availableParallelism()} cores (\`nproc\`), ${cpu}`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node: ${process.version} (${process.platform} ${process.arch})`,
  ];
}

function table(outcomes: readonly Outcome[]): string[] {
  const lines = ['| benchmark | figure | value | goal |', '| --- | --- | ---: | --- |'];
  for (const outcome of outcomes) {
    if (outcome.exitCode !== 0 || outcome.results.length === 0) {
      lines.push(`| ${outcome.name} | FAILED (exit code ${outcome.exitCode}) | | |`);
      continue;
    }
    for (const result of outcome.results) {
      for (const f of result.figures) {
        lines.push(
          `| ${result.benchmark} | ${f.name} | ${f.value}${f.unit ? ` ${f.unit}` : ''} | ${f.goal ?? ''} |`,
        );
      }
    }
  }
  return lines;
}

const only = process.argv.slice(2);
const files = (await readdir(benchDir))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => only.length === 0 || only.includes(basename(f, '.ts')))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark matches ${only.join(', ')}.`);
  process.exit(2);
}

const outcomes: Outcome[] = [];
for (const file of files) {
  console.log(`\n== ${file}`);
  outcomes.push(await runOne(join(benchDir, file)));
}

const date = new Date().toISOString().slice(0, 10);
const descriptions = outcomes.flatMap((o) =>
  o.results.map((r) => `- \`${r.benchmark}\` (\`npx tsx bench/${r.benchmark}.ts\`): ${r.description}`),
);
const report = [
  `# Benchmark results, ${date}`,
  '',
  ...machine(),
  '',
  ...descriptions,
  '',
  ...table(outcomes),
  '',
].join('\n');
await mkdir(join(benchDir, 'results'), { recursive: true });
const target = join(benchDir, 'results', `${date}.md`);
await writeFile(target, report);
console.log(`\n${report}\nWritten to ${target}`);
process.exitCode = outcomes.every((o) => o.exitCode === 0 && o.results.length > 0) ? 0 : 1;

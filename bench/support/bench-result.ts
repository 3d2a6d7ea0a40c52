/**
 * How a benchmark hands its figures to `bench/run.ts`: one line on stdout,
 * `BENCH_RESULT {json}`, beside whatever it prints for people.
 */

interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target the figure is read against, e.g. `< 30 s`; informative, never asserted. */
  readonly goal?: string;
}

export interface BenchResult {
  /** The file's name without `.ts`, e.g. `fleet`. */
  readonly benchmark: string;
  readonly description: string;
  readonly figures: readonly BenchFigure[];
}

const marker = 'BENCH_RESULT ';

/** Prints the result line `bench/run.ts` reads. */
export function reportResult(result: BenchResult): void {
  console.log(`${marker}${JSON.stringify(result)}`);
}

/** The results a benchmark's output holds (normally one). */
export function parseResults(output: string): BenchResult[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(marker))
    .map((line) => JSON.parse(line.slice(marker.length)) as BenchResult);
}

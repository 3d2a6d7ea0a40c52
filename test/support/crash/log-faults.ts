/**
 * 7: what in the stack's output is a fault. A healthy life prints its banner,
 * `SIGINT: stopping…` when stopped, and handler logs at WARN (a retried
 * throttle, a resumed release); none of that is a fault. An uncaught error,
 * an unhandled rejection, a stack trace or an ERROR log line is.
 */
import { type InvariantResult, invariantNames } from './invariants.js';

/** A line that is a fault wherever it appears. */
const faultPatterns: readonly RegExp[] = [
  /unhandled/i,
  /uncaught/i,
  /^\s+at .+[:(]\d+:\d+\)?$/,
  /"level":"(ERROR|CRITICAL)"/,
  /^\s*(\w*Error|Error)(: |\s*\[)/,
  /^npm (error|ERR!)/,
];

/** The fault lines of one life's output, each with its line number. */
export function faultLines(output: string): string[] {
  return output
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => faultPatterns.some((p) => p.test(line)))
    .map(({ line, index }) => `line ${index + 1}: ${line.trim().slice(0, 300)}`);
}

/** Checks every life's output; `lives[i]` is the output of life i. */
export function checkLog(lives: readonly { label: string; output: string }[]): InvariantResult {
  const failures = lives.flatMap(({ label, output }) => {
    const lines = faultLines(output);
    return lines.length === 0
      ? []
      : [
          `${label}: ${lines.length} fault line(s): ${lines.slice(0, 6).join(' | ')}${lines.length > 6 ? ' | …' : ''}`,
        ];
  });
  return { invariant: invariantNames.log, checked: lives.length, failures };
}

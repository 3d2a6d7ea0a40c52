/**
 * Where a command's output goes. Results go to stdout: text for people, or
 * with `--json` one JSON document (and nothing else). Notes, hints and
 * errors go to stderr in both modes, so `fleetwave ... --json | jq` always
 * reads clean JSON.
 */
import { ApiError, type CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { type Paint, paintFor, printableJson } from './terminal.js';

export class Output {
  /** Paints stdout text; a no-op with `--json` or off a terminal. */
  readonly paint: Paint;
  /** Paints stderr text. */
  readonly paintErr: Paint;

  constructor(
    readonly io: CliIo,
    readonly json: boolean,
  ) {
    this.paint = paintFor(json ? { ...io.stdout, isTTY: false } : io.stdout, io.env);
    this.paintErr = paintFor(io.stderr, io.env);
  }

  /** The result: `data` as JSON with `--json`, else the lines `human` makes. */
  result(data: unknown, human: () => readonly string[]): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else this.lines(human());
  }

  /** One compact JSON line (NDJSON), for streams of results such as `watch --json`. */
  jsonLine(data: unknown): void {
    // Lines go to terminals too: no raw DEL, C1 or bidi controls even inside strings.
    this.io.stdout.write(`${printableJson(JSON.stringify(data))}\n`);
  }

  /** Text lines on stdout (only for people: callers check `json` first). */
  lines(lines: readonly string[]): void {
    if (lines.length > 0) this.io.stdout.write(`${lines.join('\n')}\n`);
  }

  /** A message for people, on stderr. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** Reports a failure: text on stderr, and `{"error": ...}` on stdout with `--json`. */
  error(error: CliError, prefix: string): void {
    const lines = [`${prefix}: ${this.paintErr('red', 'error:')} ${messageOf(error)}`];
    if (error instanceof ApiError)
      for (const d of error.details)
        lines.push(`  ${d.path === '' ? '(request body)' : d.path}: ${d.message}`);
    this.note(lines.join('\n'));
    if (this.json) this.io.stdout.write(`${JSON.stringify({ error: error.toJson() }, null, 2)}\n`);
  }
}

/** The error message, with the API status and code in front for API errors. */
function messageOf(error: CliError): string {
  if (!(error instanceof ApiError)) return error.message;
  const code = error.code ? ` ${error.code}` : '';
  const retry = error.retryAfterSeconds !== undefined ? ` Try again in ${error.retryAfterSeconds} s.` : '';
  return `the API answered ${error.status}${code}: ${error.message}${retry}`;
}

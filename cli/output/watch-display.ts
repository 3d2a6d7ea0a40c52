/**
 * How `releases watch` shows a release as it moves, in three forms:
 * - on a terminal, a live frame with one progress bar per wave, redrawn in
 *   place with ANSI cursor moves (cursor hidden while it runs);
 * - in a log (stdout not a terminal), plain timestamped lines, one per change;
 * - with `--json`, one compact JSON line per change: the API's answer as is.
 */
import type { ReleaseView } from '../api/release-answers.js';
import type { CliIo } from '../io.js';
import type { Output } from './output.js';
import { releaseFrame } from './progress-bars.js';
import { changeLines, logTime } from './release-lines.js';
import { ansi, truncate } from './terminal.js';

export interface WatchDisplay {
  /** Shows the release as the latest poll found it; `answer` is the API's body. */
  show(view: ReleaseView, answer: unknown): void;
  /** A poll failed but watching goes on. */
  warn(message: string): void;
  /** Leaves the terminal as it was found (cursor visible, frame kept on screen). */
  close(): void;
}

/** The live frame on a terminal. */
export class LiveDisplay implements WatchDisplay {
  private drawn = 0;
  private view: ReleaseView | undefined;
  private warning: string | undefined;
  private cursorHidden = false;

  constructor(
    private readonly io: CliIo,
    private readonly out: Output,
    private readonly startedAt: number,
  ) {}

  show(view: ReleaseView): void {
    this.view = view;
    this.warning = undefined;
    this.draw();
  }

  warn(message: string): void {
    this.warning = message;
    this.draw();
  }

  private draw(): void {
    if (!this.view) {
      if (this.warning) this.io.stderr.write(`${this.warning}\n`);
      return;
    }
    // One column short of the width: a line that fills the last column wraps on some terminals.
    const width = Math.max(20, (this.io.stdout.columns || 80) - 1);
    const lines = releaseFrame(this.view, {
      paint: this.out.paint,
      elapsedMs: this.io.now() - this.startedAt,
      width,
    });
    if (this.warning) lines.push(`  ${this.out.paint('yellow', this.warning)}`);
    let text = this.cursorHidden ? '' : ansi.hideCursor;
    this.cursorHidden = true;
    if (this.drawn > 0) text += ansi.up(this.drawn);
    text += lines.map((line) => `${truncate(line, width)}${ansi.clearLine}\n`).join('');
    text += ansi.clearDown;
    this.io.stdout.write(text);
    this.drawn = lines.length;
  }

  close(): void {
    if (this.cursorHidden) this.io.stdout.write(ansi.showCursor);
    this.cursorHidden = false;
  }
}

/** Timestamped lines, one per change, for logs. */
export class PlainDisplay implements WatchDisplay {
  private last: ReleaseView | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly out: Output,
  ) {}

  show(view: ReleaseView): void {
    this.out.lines(changeLines(this.last, view, logTime(this.io.now())));
    this.last = view;
  }

  warn(message: string): void {
    this.out.note(`${logTime(this.io.now())} ${message}`);
  }

  close(): void {}
}

/** NDJSON: the API's answer each time it changed. */
export class JsonDisplay implements WatchDisplay {
  private last: string | undefined;

  constructor(private readonly out: Output) {}

  show(_view: ReleaseView, answer: unknown): void {
    const line = JSON.stringify(answer);
    if (line !== this.last) this.out.jsonLine(answer);
    this.last = line;
  }

  warn(message: string): void {
    this.out.note(message);
  }

  close(): void {}
}

/** The display for this output: JSON with `--json`, live on a terminal, plain lines otherwise. */
export function watchDisplayFor(io: CliIo, out: Output, startedAt: number): WatchDisplay {
  if (out.json) return new JsonDisplay(out);
  return io.stdout.isTTY ? new LiveDisplay(io, out, startedAt) : new PlainDisplay(io, out);
}

/**
 * The release as a block of lines with one progress bar per wave: what
 * `releases watch` redraws in place on a terminal and `releases get` prints.
 */
import type { ReleaseView, WaveView } from '../api/release-answers.js';
import { formatDuration } from '../args/values.js';
import { type Colour, noPaint, type Paint, pad, visibleLength } from './terminal.js';

/** Bar widths: the default, and the range a terminal's width may stretch or shrink it to. */
const barWidth = { default: 20, min: 10, max: 40 } as const;

/** The colour of a status word: green done, red failed, yellow waiting, cyan moving. */
function statusColour(status: string): Colour | undefined {
  switch (status) {
    case 'SUCCEEDED':
      return 'green';
    case 'FAILED':
    case 'TIMED_OUT':
      return 'red';
    case 'CANCELED':
    case 'SCHEDULED':
    case 'WAITING_APPROVAL':
    case 'PAUSED':
    case 'BAKING':
      return 'yellow';
    case 'IN_PROGRESS':
      return 'cyan';
    default:
      return undefined;
  }
}

function paintStatus(status: string, paint: Paint): string {
  const colour = statusColour(status);
  return colour ? paint(colour, status) : status;
}

/**
 * Splits `width` cells among the parts in proportion (largest remainders
 * first), never more than `width` in all, and at least one cell for any
 * non-zero part: a single failure must show on a bar of 10,000 things.
 */
export function allocateCells(parts: readonly number[], total: number, width: number): number[] {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  // Counters can briefly exceed the expected size; the bar then shows shares of what is counted.
  const denominator = Math.max(total, sum(parts));
  if (denominator <= 0) return parts.map(() => 0);
  const exact = parts.map((p) => (p / denominator) * width);
  const cells = exact.map(Math.floor);
  let left = Math.round(sum(exact)) - sum(cells);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r);
  for (const { i, r } of byRemainder) {
    if (left <= 0 || r === 0) break;
    cells[i] = (cells[i] ?? 0) + 1;
    left--;
  }
  parts.forEach((part, i) => {
    if (part === 0 || cells[i] !== 0) return;
    if (sum(cells) < width) {
      cells[i] = 1;
      return;
    }
    const largest = cells.indexOf(Math.max(...cells));
    if ((cells[largest] ?? 0) > 1) {
      cells[largest] = (cells[largest] ?? 0) - 1;
      cells[i] = 1;
    }
  });
  return cells;
}

/** `[██████xx▒▒▒░░░░]`: succeeded, failed, in progress, not started. */
export function progressBar(wave: WaveView, width: number, paint: Paint = noPaint): string {
  const [ok = 0, bad = 0, running = 0] = allocateCells(
    [wave.succeeded, wave.failed, wave.inProgress],
    wave.total,
    width,
  );
  const rest = Math.max(0, width - ok - bad - running);
  return `[${paint('green', '█'.repeat(ok))}${paint('red', 'x'.repeat(bad))}${paint('yellow', '▒'.repeat(running))}${paint('dim', '░'.repeat(rest))}]`;
}

/** `40/100 ok, 1 failed, 59 running` (empty while the wave has no things). */
export function countsText(wave: WaveView): string {
  if (wave.total === 0) return wave.status === 'IN_PROGRESS' ? 'no things yet' : '';
  return `${wave.succeeded}/${wave.total} ok, ${wave.failed} failed, ${wave.inProgress} running`;
}

/** `Release rel-42  IN_PROGRESS  wave 2 of 4  template fw-2-4` */
function releaseHeadline(view: ReleaseView, paint: Paint = noPaint): string {
  const parts = [`Release ${paint('bold', view.releaseId)}`, paintStatus(view.status, paint)];
  if (view.currentWave !== undefined) parts.push(`wave ${view.currentWave} of ${view.waves.length}`);
  if (view.jobTemplateId !== undefined) parts.push(`template ${view.jobTemplateId}`);
  return parts.join('  ');
}

/** What to run next when a wave waits for a person. */
export function approvalHint(view: ReleaseView): string | undefined {
  if (view.status !== 'WAITING_APPROVAL') return undefined;
  const wave = view.waves.find((w) => w.waitingFor === 'APPROVAL') ?? view.waves[(view.currentWave ?? 1) - 1];
  return `Wave ${wave?.number ?? view.currentWave ?? '?'} waits for approval: fleetwave releases approve ${view.releaseId}  (or: fleetwave releases reject ${view.releaseId})`;
}

export interface FrameOptions {
  paint?: Paint;
  /** Shown in the headline while watching. */
  elapsedMs?: number;
  /** Columns available: the bars take what the other columns leave (default: bars of 20). */
  width?: number;
}

/** `, opens 2026-01-02T02:00Z`, or nothing when no window opens again. */
function opensText(opensAt: string | undefined): string {
  return opensAt ? `, opens ${opensAt.replace(/:\d{2}\.\d{3}Z$/, 'Z')}` : '';
}

/** The release, one line per wave with its bar and counts, then the reason and any approval hint. */
export function releaseFrame(view: ReleaseView, options: FrameOptions = {}): string[] {
  const paint = options.paint ?? noPaint;
  const headline = releaseHeadline(view, paint);
  const lines = [
    options.elapsedMs === undefined
      ? headline
      : `${headline}  ${paint('dim', `(watching ${formatDuration(options.elapsedMs)})`)}`,
  ];
  const numberWidth = String(view.waves.length).length;
  const scopeWidth = Math.max(0, ...view.waves.map((w) => w.scope.length));
  const statusWidth = Math.max(0, ...view.waves.map((w) => w.status.length));
  const rows = view.waves.map((wave) => {
    const current = wave.number === view.currentWave && wave.status !== 'SUCCEEDED' ? '>' : ' ';
    const gated = wave.requireApproval && ['PENDING', 'IN_PROGRESS', 'BAKING'].includes(wave.status);
    const head = [
      ` ${current} wave ${pad(String(wave.number), numberWidth, true)}`,
      pad(wave.scope, scopeWidth),
      pad(paintStatus(wave.status, paint), statusWidth),
    ].join('  ');
    const waiting = wave.windowClosed && ` (waiting for its window${opensText(wave.windowClosed.opensAt)})`;
    const suffix = (waiting || '') + (gated ? ' (then approval)' : '');
    // The longest the counts can get at this total: sizing bars by it keeps them still while counts move.
    const widest = countsText({ ...wave, succeeded: wave.total, failed: wave.total, inProgress: wave.total });
    return { wave, head, tail: countsText(wave) + paint('dim', suffix), room: widest.length + suffix.length };
  });
  let width: number = barWidth.default;
  if (options.width !== undefined) {
    // Two separators and the brackets around the bar.
    const around = Math.max(0, ...rows.map((r) => visibleLength(r.head) + r.room)) + 6;
    width = Math.min(barWidth.max, Math.max(barWidth.min, options.width - around));
  }
  for (const { wave, head, tail } of rows)
    lines.push(`${head}  ${progressBar(wave, width, paint)}  ${tail}`.trimEnd());
  if (view.statusReason) lines.push(`  ${paint('dim', 'reason:')} ${view.statusReason}`);
  if (view.startTime || view.endTime) {
    const times = [
      view.startTime && `starts ${view.startTime} UTC`,
      view.endTime && `ends ${view.endTime} UTC`,
    ];
    lines.push(`  ${paint('dim', 'schedule:')} ${times.filter(Boolean).join(', ')}`);
  }
  if (view.createdBy) lines.push(`  ${paint('dim', 'created by:')} ${view.createdBy}`);
  if (view.madeFrom) {
    const { kind, releaseId, things } = view.madeFrom;
    const gathered = things === undefined ? '' : ` (${things} things)`;
    lines.push(`  ${paint('dim', `${kind} of:`)} ${releaseId}${gathered}`);
  }
  const hint = approvalHint(view);
  if (hint) lines.push(`  ${paint('yellow', hint)}`);
  return lines;
}

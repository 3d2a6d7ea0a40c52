import { describe, expect, it } from 'vitest';
import type { ReleaseView, WaveView } from '../../../cli/api/release-answers.js';
import { readReleaseView } from '../../../cli/api/release-answers.js';
import { Output } from '../../../cli/output/output.js';
import { allocateCells, progressBar, releaseFrame } from '../../../cli/output/progress-bars.js';
import { changeLines, historyTable } from '../../../cli/output/release-lines.js';
import { formatTable } from '../../../cli/output/table.js';
import { ansiPaint, paintFor, stripAnsi, truncate, visibleLength } from '../../../cli/output/terminal.js';
import { JsonDisplay, LiveDisplay, PlainDisplay } from '../../../cli/output/watch-display.js';
import { fakeIo } from './support/fake-io.js';

const esc = String.fromCharCode(27);

function wave(number: number, over: Partial<WaveView> = {}): WaveView {
  return {
    number,
    status: 'PENDING',
    scope: `${number * 10}%`,
    total: 0,
    succeeded: 0,
    failed: 0,
    inProgress: 0,
    requireApproval: false,
    ...over,
  };
}

function release(over: Partial<ReleaseView> = {}): ReleaseView {
  return {
    releaseId: 'rel-42',
    status: 'IN_PROGRESS',
    jobTemplateId: 'fw-2-4',
    currentWave: 1,
    waves: [wave(1, { status: 'IN_PROGRESS', total: 10, succeeded: 4, failed: 1, inProgress: 5 }), wave(2)],
    ...over,
  };
}

describe('progress bars', () => {
  it('splits the cells in proportion and never past the width', () => {
    expect(allocateCells([5, 3, 2], 10, 10)).toEqual([5, 3, 2]);
    expect(allocateCells([1, 1, 1], 3, 10).reduce((a, b) => a + b)).toBe(10);
    expect(allocateCells([0, 0, 0], 0, 10)).toEqual([0, 0, 0]);
  });

  it('gives a single failure among thousands one visible cell', () => {
    expect(allocateCells([9_999, 1, 0], 10_000, 20)).toEqual([19, 1, 0]);
  });

  it('scales to the counted executions when they exceed the expected total', () => {
    expect(allocateCells([15, 5, 0], 10, 20)).toEqual([15, 5, 0]);
  });

  it('draws succeeded, failed, in progress and not started cells', () => {
    expect(progressBar(wave(1, { total: 10, succeeded: 4, failed: 1, inProgress: 5 }), 10)).toBe(
      '[████x▒▒▒▒▒]',
    );
    expect(progressBar(wave(1, { total: 10, succeeded: 2 }), 10)).toBe('[██░░░░░░░░]');
  });

  it('shows the release headline, one line per wave and the approval hint', () => {
    const lines = releaseFrame(
      release({
        status: 'WAITING_APPROVAL',
        waves: [wave(1, { status: 'SUCCEEDED', total: 4, succeeded: 4, waitingFor: 'APPROVAL' }), wave(2)],
      }),
    );
    expect(lines).toEqual([
      'Release rel-42  WAITING_APPROVAL  wave 1 of 2  template fw-2-4',
      '   wave 1  10%  SUCCEEDED  [████████████████████]  4/4 ok, 0 failed, 0 running',
      '   wave 2  20%  PENDING    [░░░░░░░░░░░░░░░░░░░░]',
      '  Wave 1 waits for approval: fleetwave releases approve rel-42  (or: fleetwave releases reject rel-42)',
    ]);
  });
  it('says who created the release, below the reason that names who canceled it', () => {
    const lines = releaseFrame(
      release({
        status: 'CANCELED',
        statusReason: 'Canceled by AKIDBOB: battery drain',
        createdBy: 'github:octocat',
        waves: [wave(1, { status: 'CANCELED' })],
      }),
    );
    expect(lines.slice(-2)).toEqual([
      '  reason: Canceled by AKIDBOB: battery drain',
      '  created by: github:octocat',
    ]);
  });

  it('sizes the bars to the width given, and keeps them the same size while counts move', () => {
    const bars = (view: ReleaseView, width = 79) =>
      releaseFrame(view, { width })
        .slice(1, 3)
        .map((line) => /\[[^\]]*\]/.exec(line)?.[0].length);
    const early = release({
      waves: [wave(1, { status: 'IN_PROGRESS', total: 100, succeeded: 1, inProgress: 99 }), wave(2)],
    });
    const late = release({
      waves: [wave(1, { status: 'IN_PROGRESS', total: 100, succeeded: 99, failed: 1 }), wave(2)],
    });
    expect(bars(early)).toEqual(bars(late));
    for (const line of releaseFrame(late, { width: 79 })) expect(visibleLength(line)).toBeLessThanOrEqual(79);
    expect(bars(late, 200)[0]).toBe(42);
  });
});

describe('plain change lines', () => {
  const at = '2026-11-26T07:30:00Z';

  it('first says where the release stands and what every started wave did', () => {
    expect(changeLines(undefined, release(), at)).toEqual([
      `${at} release rel-42 IN_PROGRESS (wave 1 of 2)`,
      `${at} wave 1 (10%) IN_PROGRESS: 4/10 ok, 1 failed, 5 running`,
    ]);
  });

  it('then says only what changed, and nothing when nothing did', () => {
    const before = release();
    const after = release({
      waves: [wave(1, { status: 'IN_PROGRESS', total: 10, succeeded: 9, failed: 1, inProgress: 0 }), wave(2)],
    });
    expect(changeLines(before, after, at)).toEqual([
      `${at} wave 1 (10%) IN_PROGRESS: 9/10 ok, 1 failed, 0 running`,
    ]);
    expect(changeLines(after, after, at)).toEqual([]);
  });

  it('names a release status change with its reason', () => {
    const after = release({ status: 'FAILED', statusReason: 'wave 1 crossed its failure threshold' });
    expect(changeLines(release(), after, at)).toEqual([
      `${at} release rel-42 IN_PROGRESS -> FAILED (wave 1 of 2) — wave 1 crossed its failure threshold`,
    ]);
  });

  it('writes history entries as a table with the actor of each', () => {
    const arn = 'arn:aws:iam::123456789012:user/alice';
    expect(
      historyTable([
        { type: 'RELEASE_CREATED', at, to: 'PENDING', actor: 'github:octocat' },
        { type: 'WAVE_STATUS_CHANGED', at, waveNumber: 2, from: 'IN_PROGRESS', to: 'FAILED', reason: 'x' },
        {
          type: 'WAVE_PROGRESS',
          at,
          waveNumber: 1,
          actor: 'fleetwave',
          counts: { numberOfSucceededThings: 3, numberOfTimedOutThings: 1, numberOfQueuedThings: 2 },
          jobStatus: 'IN_PROGRESS',
        },
        { type: 'RELEASE_STATUS_CHANGED', at, from: 'WAITING_APPROVAL', to: 'CANCELED', actor: arn },
        {
          type: 'NOTIFICATION',
          at,
          actor: 'fleetwave',
          notification: {
            channel: 'webhook',
            detailType: 'Release Canceled',
            notificationId: 'n1',
            delivered: false,
            error: 'HTTP 500',
          },
        },
      ]),
    ).toEqual([
      `AT${' '.repeat(at.length - 2)}  ACTOR${' '.repeat(arn.length - 5)}  EVENT`,
      `${at}  github:octocat${' '.repeat(arn.length - 14)}  release created`,
      `${at}  -${' '.repeat(arn.length - 1)}  wave 2 IN_PROGRESS -> FAILED — x`,
      `${at}  fleetwave${' '.repeat(arn.length - 9)}  wave 1 progress: 3 ok, 1 failed, 2 running (job IN_PROGRESS)`,
      `${at}  ${arn}  release WAITING_APPROVAL -> CANCELED`,
      `${at}  fleetwave${' '.repeat(arn.length - 9)}  webhook Release Canceled: not delivered (HTTP 500)`,
    ]);
  });
});

describe('retry and rollback in the CLI output', () => {
  const at = '2026-03-02T09:15:27.000Z';

  it('names both sides of the link in the history', () => {
    expect(
      historyTable([
        { type: 'RELEASE_CREATED', at, to: 'PENDING', actor: 'local', relatedReleaseId: 'rel-41' },
        {
          type: 'RELEASE_LINKED',
          at,
          actor: 'local',
          relatedReleaseId: 'rel-43',
          reason: 'Rolled back by release rel-43',
        },
        { type: 'RELEASE_LINKED', at, actor: 'local', relatedReleaseId: 'rel-44' },
      ]).map((line) => line.split(/\s{2,}/).at(-1)),
    ).toEqual([
      'EVENT',
      'release created from release rel-41',
      'Rolled back by release rel-43',
      'release rel-44 made from this one',
    ]);
  });

  it('shows what a retry or rollback was made from, and its things once gathered', () => {
    const retry = release({ madeFrom: { kind: 'retry', releaseId: 'rel-41', things: 12 } });
    expect(releaseFrame(retry)).toContain('  retry of: rel-41 (12 things)');
    const rollback = release({ madeFrom: { kind: 'rollback', releaseId: 'rel-41' } });
    expect(releaseFrame(rollback)).toContain('  rollback of: rel-41');
    expect(releaseFrame(release()).some((line) => line.includes(' of: '))).toBe(false);
  });

  it('shows when a scheduled release starts and ends, and a wave waiting for its window', () => {
    const view = readReleaseView({
      status: 200,
      headers: new Headers(),
      body: {
        release: {
          releaseId: 'rel-9',
          status: 'IN_PROGRESS',
          schedulingConfig: { startTime: '2026-01-01T02:00', endTime: '2026-01-08T02:00' },
          waves: [{ percentage: 100 }],
        },
        waves: [
          {
            waveNumber: 1,
            status: 'IN_PROGRESS',
            window: { open: false, opensAt: '2026-01-02T02:00:00.000Z' },
          },
        ],
      },
    });
    const lines = releaseFrame(view);
    expect(lines).toContain('  schedule: starts 2026-01-01T02:00 UTC, ends 2026-01-08T02:00 UTC');
    expect(lines.some((line) => line.endsWith('(waiting for its window, opens 2026-01-02T02:00Z)'))).toBe(
      true,
    );
  });
});

describe('watch displays', () => {
  it('on a terminal, redraws the frame in place: cursor up over the last frame, clear, cursor shown at the end', () => {
    const io = fakeIo({ tty: true, columns: 200 });
    const out = new Output(io, false);
    const display = new LiveDisplay(io, out, io.now());
    display.show(release());
    const first = io.out;
    expect(first.startsWith(`${esc}[?25l`)).toBe(true);
    expect(first).not.toContain(`${esc}[3F`);
    display.show(release({ status: 'SUCCEEDED' }));
    const second = io.out.slice(first.length);
    // The first frame had 3 lines (headline and two waves): go back up 3 and redraw.
    expect(second.startsWith(`${esc}[3F`)).toBe(true);
    expect(second).toContain(`${esc}[J`);
    expect(stripAnsi(second)).toContain('Release rel-42  SUCCEEDED');
    display.close();
    expect(io.out.endsWith(`${esc}[?25h`)).toBe(true);
  });

  it('on a terminal, cuts lines to the width so a long line never wraps and breaks the redraw', () => {
    const io = fakeIo({ tty: true, columns: 40 });
    const display = new LiveDisplay(io, new Output(io, false), io.now());
    display.show(release());
    const lines = stripAnsi(io.out).split('\n').filter(Boolean);
    for (const line of lines) expect(visibleLength(line)).toBeLessThanOrEqual(39);
  });

  it('off a terminal, writes timestamped lines with no escape sequences', () => {
    const io = fakeIo({ tty: false });
    const display = new PlainDisplay(io, new Output(io, false));
    display.show(release());
    display.show(release());
    display.show(release({ status: 'SUCCEEDED' }));
    expect(io.out).not.toContain(esc);
    expect(io.out.split('\n').filter(Boolean)).toEqual([
      '2026-11-26T07:30:00Z release rel-42 IN_PROGRESS (wave 1 of 2)',
      '2026-11-26T07:30:00Z wave 1 (10%) IN_PROGRESS: 4/10 ok, 1 failed, 5 running',
      '2026-11-26T07:30:00Z release rel-42 IN_PROGRESS -> SUCCEEDED (wave 1 of 2)',
    ]);
  });

  it('with --json, writes one JSON line per changed answer, even on a terminal', () => {
    const io = fakeIo({ tty: true });
    const display = new JsonDisplay(new Output(io, true));
    display.show(release(), { release: { status: 'IN_PROGRESS' } });
    display.show(release(), { release: { status: 'IN_PROGRESS' } });
    display.show(release(), { release: { status: 'SUCCEEDED' } });
    expect(io.out).toBe('{"release":{"status":"IN_PROGRESS"}}\n{"release":{"status":"SUCCEEDED"}}\n');
  });
});

describe('terminal text', () => {
  it('paints only on a terminal, and never with NO_COLOR or TERM=dumb', () => {
    const tty = { write: () => {}, isTTY: true };
    expect(paintFor(tty, {})('red', 'x')).toBe(`${esc}[31mx${esc}[39m`);
    expect(paintFor(tty, { NO_COLOR: '1' })('red', 'x')).toBe('x');
    expect(paintFor(tty, { TERM: 'dumb' })('red', 'x')).toBe('x');
    expect(paintFor({ ...tty, isTTY: false }, {})('red', 'x')).toBe('x');
  });

  it('truncates by visible width, keeping escape sequences and resetting them at the cut', () => {
    const text = `ab${ansiPaint('green', 'cdefgh')}ij`;
    const cut = truncate(text, 5);
    expect(stripAnsi(cut)).toBe('abcd…');
    expect(cut.endsWith(`${esc}[0m`)).toBe(true);
    expect(truncate('short', 10)).toBe('short');
  });

  it('aligns table columns by visible width', () => {
    expect(
      formatTable(
        ['ID', 'STATUS'],
        [
          [ansiPaint('bold', 'a'), 'x'],
          ['long-id', 'y'],
        ],
      ).map(stripAnsi),
    ).toEqual(['ID       STATUS', 'a        x', 'long-id  y']);
  });
});

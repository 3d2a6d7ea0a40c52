/**
 * `fleetwave releases watch`: polls GET /releases/{id} until the release
 * ends, showing it as it moves, and exits with a code a CI step can branch
 * on (SUCCEEDED 0, FAILED 1, CANCELED 2, waiting for approval with
 * `--no-wait-approval` 3).
 */
import { type ApiClient, pathOf } from '../api/client.js';
import { type ReleaseView, readReleaseView } from '../api/release-answers.js';
import type { ParsedArgs } from '../args/parse.js';
import type { OptionSpec } from '../args/spec.js';
import { durationValue, formatDuration } from '../args/values.js';
import { ApiError, ApiUnreachableError, InterruptedError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { Output } from '../output/output.js';
import { approvalHint } from '../output/progress-bars.js';
import { watchDisplayFor } from '../output/watch-display.js';
import type { Command } from './command.js';

/** Polls in a row that may fail (API restarting, a blip) before watching gives up. */
export const maxConsecutivePollFailures = 5;

export const watchOptions: readonly OptionSpec[] = [
  {
    name: 'interval',
    type: 'string',
    valueName: 'DURATION',
    description: 'time between polls: 2s (default), 500ms, 1m',
  },
  {
    name: 'no-wait-approval',
    type: 'boolean',
    description: 'stop with exit code 3 when the release waits for approval',
  },
  {
    name: 'timeout',
    type: 'string',
    valueName: 'DURATION',
    description: 'stop with exit code 124 when the release has not ended by then (e.g. 30m)',
  },
];

export interface WatchSettings {
  intervalMs: number;
  waitForApproval: boolean;
  timeoutMs: number | undefined;
}

export function readWatchSettings(args: ParsedArgs): WatchSettings {
  const interval = args.string('interval');
  const timeout = args.string('timeout');
  return {
    intervalMs: interval === undefined ? 2000 : durationValue('interval', interval, 100),
    waitForApproval: !args.flag('no-wait-approval'),
    timeoutMs: timeout === undefined ? undefined : durationValue('timeout', timeout, 1000),
  };
}

const exitByStatus: Readonly<Record<string, ExitCodeValue>> = {
  SUCCEEDED: ExitCode.OK,
  FAILED: ExitCode.RELEASE_FAILED,
  CANCELED: ExitCode.RELEASE_CANCELED,
};

/** True for failures worth polling again: nothing answered, throttling, 5xx. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof ApiUnreachableError ||
    (error instanceof ApiError && error.exitCode === ExitCode.API_FAILED)
  );
}

/** The line that ends a watch, for people. */
function verdict(view: ReleaseView, elapsedMs: number): string {
  const reason = view.statusReason ? `: ${view.statusReason}` : '';
  return `Release ${view.releaseId} ${view.status} after ${formatDuration(elapsedMs)} of watching${reason}`;
}

/**
 * Watches a release until it ends (or waits for approval, with
 * `waitForApproval` false), the timeout runs out, or Ctrl-C; resolves with
 * the exit code.
 */
export async function watchRelease(
  client: ApiClient,
  releaseId: string,
  settings: WatchSettings,
  io: CliIo,
  out: Output,
): Promise<ExitCodeValue> {
  const startedAt = io.now();
  const display = watchDisplayFor(io, out, startedAt);
  const interrupt = new AbortController();
  const stopListening = io.onInterrupt(() => interrupt.abort());
  let failures = 0;
  let seen = false;
  const finish = (code: ExitCodeValue, message?: string) => {
    display.close();
    if (message) out.note(message);
    return code;
  };
  /** One poll: the release, or undefined after a failure that watching waits out. */
  const poll = async (): Promise<ReleaseView | undefined> => {
    try {
      const answer = await client.send({
        method: 'GET',
        path: pathOf('releases', releaseId),
        signal: interrupt.signal,
      });
      const view = readReleaseView(answer);
      failures = 0;
      seen = true;
      display.show(view, answer.body);
      return view;
    } catch (error) {
      // A first poll that fails is a real error (wrong URL, unknown release); later, a blip is waited out.
      if (!seen || !isTransient(error) || ++failures >= maxConsecutivePollFailures) throw error;
      display.warn(`poll failed (${failures} of ${maxConsecutivePollFailures}): ${(error as Error).message}`);
      return undefined;
    }
  };
  try {
    for (;;) {
      const view = await poll();
      if (view) {
        const elapsed = io.now() - startedAt;
        const code = exitByStatus[view.status];
        if (code !== undefined) return finish(code, out.json ? undefined : verdict(view, elapsed));
        if (view.status === 'WAITING_APPROVAL' && !settings.waitForApproval)
          return finish(ExitCode.RELEASE_WAITING_APPROVAL, out.json ? undefined : approvalHint(view));
      }
      if (settings.timeoutMs !== undefined && io.now() - startedAt >= settings.timeoutMs)
        return finish(
          ExitCode.WATCH_TIMEOUT,
          `Stopped watching after ${formatDuration(settings.timeoutMs)}: release ${releaseId} has not ended; it goes on.`,
        );
      await io.sleep(settings.intervalMs, interrupt.signal);
      if (interrupt.signal.aborted) throw new InterruptedError('interrupted');
    }
  } catch (error) {
    if (error instanceof InterruptedError)
      return finish(
        ExitCode.INTERRUPTED,
        `Stopped watching; release ${releaseId} goes on. Cancel it with: fleetwave releases cancel ${releaseId}`,
      );
    display.close();
    throw error;
  } finally {
    stopListening();
  }
}

export const watchCommand: Command = {
  path: ['releases', 'watch'],
  summary: 'follow a release until it ends; the exit code tells how it ended',
  description: [
    'On a terminal, one live progress bar per wave (succeeded, failed, in progress); otherwise one timestamped line per change; with --json one JSON line (the API answer) per change.',
    'Exit codes: 0 SUCCEEDED, 1 FAILED, 2 CANCELED, 3 waiting for approval with --no-wait-approval, 124 --timeout ran out, 130 Ctrl-C (the release goes on).',
  ],
  positionals: [{ name: 'RELEASE_ID', description: 'the release to watch' }],
  options: watchOptions,
  examples: [
    { command: 'fleetwave releases watch rel-42', comment: 'follow a release to its end' },
    {
      command: 'fleetwave releases watch rel-42 --no-wait-approval --timeout 2h',
      comment: 'in CI: stop at an approval gate (exit 3) or after two hours (exit 124)',
    },
  ],
  async run({ positionals, args, io, api, out }) {
    return watchRelease(api(), positionals[0] as string, readWatchSettings(args), io, out);
  },
};

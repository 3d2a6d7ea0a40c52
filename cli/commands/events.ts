/**
 * `fleetwave events tail`: follows what the local stack's EventBridge and SNS
 * recorded (the `/_fleetwave/` admin routes of its AWS endpoint), one line
 * per event or message, until Ctrl-C; with `--no-follow`, prints what is
 * recorded and exits.
 */
import { ApiClient } from '../api/client.js';
import type { ParsedArgs } from '../args/parse.js';
import { durationValue } from '../args/values.js';
import { ApiError, InterruptedError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { eventLine } from '../output/event-lines.js';
import type { Output } from '../output/output.js';
import { cliVersion } from '../version.js';
import type { Command } from './command.js';
import {
  EndpointUnreachableError,
  eventsSource,
  type FeedEntry,
  LocalFeed,
  messagesSource,
  NotLocalStackError,
  type PollResult,
  stackNow,
} from './events-feed.js';

/** The local stack's AWS endpoint when neither `--endpoint-url` nor `AWS_ENDPOINT_URL` is set. */
const defaultEndpointUrl = 'http://127.0.0.1:4566';

/** Time between polls while following. */
const POLL_MS = 1000;

/**
 * How long following waits out failing polls before it gives up: long enough
 * for the local stack to restart (its topics are made again only once it
 * has loaded serverless.yml).
 */
const RESTART_BUDGET_MS = 30_000;

/** Where `--since` starts: everything kept, a point in time, or only what comes after the start. */
type Since =
  | { kind: 'all' }
  | { kind: 'at'; epochMs: number }
  | { kind: 'ago'; ms: number }
  | { kind: 'new' };

interface TailSettings {
  endpointUrl: string;
  source?: string;
  detailType?: string;
  topic?: string;
  follow: boolean;
  since: Since;
  json: boolean;
}

function endpointOf(args: ParsedArgs, io: CliIo): string {
  const fromEnv = io.env.AWS_ENDPOINT_URL;
  const raw =
    args.string('endpoint-url') ?? (fromEnv === undefined || fromEnv === '' ? defaultEndpointUrl : fromEnv);
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new UsageError(
      `--endpoint-url must be an http(s) URL such as ${defaultEndpointUrl} (got '${raw}')`,
    );
  return raw;
}

function sinceOf(raw: string | undefined, follow: boolean): Since {
  if (raw === undefined) return follow ? { kind: 'new' } : { kind: 'all' };
  if (raw === 'all') return { kind: 'all' };
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    // A time without an offset is UTC, as the lines print it, not whatever zone the machine is in.
    const hasOffset = !raw.includes('T') || /(Z|[+-]\d{2}:?\d{2})$/i.test(raw);
    const epochMs = Date.parse(hasOffset ? raw : `${raw}Z`);
    if (Number.isFinite(epochMs)) return { kind: 'at', epochMs };
  } else if (/^\d/.test(raw)) {
    return { kind: 'ago', ms: durationValue('since', raw, 0) };
  }
  throw new UsageError(
    `--since must be a duration such as 30s, 5m or 1h, an ISO-8601 time such as 2026-01-01T12:00:00Z, or all (got '${raw}')`,
  );
}

function readTailSettings(args: ParsedArgs, io: CliIo): TailSettings {
  const output = args.string('output') ?? 'text';
  if (output !== 'text' && output !== 'json')
    throw new UsageError(`--output must be text or json (got '${output}')`);
  const follow = !args.flag('no-follow');
  const [source, detailType, topic] = [
    args.string('source'),
    args.string('detail-type'),
    args.string('topic'),
  ];
  return {
    endpointUrl: endpointOf(args, io),
    ...(source !== undefined && { source }),
    ...(detailType !== undefined && { detailType }),
    ...(topic !== undefined && { topic }),
    follow,
    since: sinceOf(args.string('since'), follow),
    json: output === 'json' || args.flag('json'),
  };
}

/** The feeds the filters ask for: an event filter alone means no messages, `--topic` alone no events. */
function feedsFor(settings: TailSettings, client: ApiClient): LocalFeed[] {
  const eventFilter = settings.source !== undefined || settings.detailType !== undefined;
  const wantsEvents = eventFilter || settings.topic === undefined;
  const wantsMessages = settings.topic !== undefined || !eventFilter;
  return [
    ...(wantsEvents ? [new LocalFeed(client, eventsSource(settings))] : []),
    ...(wantsMessages ? [new LocalFeed(client, messagesSource(settings.topic))] : []),
  ];
}

/** `--since` as epoch ms on the stack's own (virtual) clock; undefined for everything. */
async function sinceEpochMs(since: Since, client: ApiClient, io: CliIo, signal: AbortSignal) {
  if (since.kind === 'at') return since.epochMs;
  if (since.kind !== 'ago') return undefined;
  // The stack's clock may run ahead of the wall clock (a faster time scale): "5m ago" is on its time.
  const now = await stackNow(client, signal).catch((error: unknown) => {
    if (error instanceof NotLocalStackError) return io.now();
    throw error;
  });
  return now - since.ms;
}

/**
 * The feeds' entries in one list, oldest first by the stack's clock, each
 * feed's own order kept: a feed lists entries as they were recorded, which a
 * sort by `time` could shuffle (event times carry whole seconds, and a put
 * may give its own time).
 */
function merged(feeds: readonly FeedEntry[][]): FeedEntry[] {
  const next = feeds.map(() => 0);
  const all: FeedEntry[] = [];
  for (;;) {
    let pick: number | undefined;
    feeds.forEach((entries, i) => {
      const head = entries[next[i] as number];
      const best = pick === undefined ? undefined : feeds[pick]?.[next[pick] as number];
      if (head && (!best || head.receivedAt < best.receivedAt)) pick = i;
    });
    if (pick === undefined) return all;
    all.push(feeds[pick]?.[next[pick] as number] as FeedEntry);
    next[pick] = (next[pick] as number) + 1;
  }
}

function print(polled: readonly PollResult[], settings: TailSettings, out: Output): void {
  const dropped = polled.reduce((sum, p) => sum + p.dropped, 0);
  // The stack keeps the newest 1000 entries of each log: more arrived between two polls than it kept.
  if (dropped > 0)
    out.note(
      `… ${dropped} entries were dropped from the stack's log before they were read (some may not match the filters)`,
    );
  for (const entry of merged(polled.map((p) => p.entries))) {
    if (settings.json) out.jsonLine({ kind: entry.kind, ...entry.data });
    else out.lines([eventLine(entry, out.paint)]);
  }
}

/**
 * True for a failure that following waits out: the stack restarting (not
 * answering, then answering 404 for a topic it has not made again yet), a blip.
 */
function isTransient(error: unknown): boolean {
  return (
    error instanceof EndpointUnreachableError ||
    (error instanceof ApiError &&
      (error.exitCode === ExitCode.API_FAILED || (error.status === 404 && error.code === 'NotFoundError')))
  );
}

/** Says once, on stderr, that following has started: everything recorded from here on is printed. */
function announce(settings: TailSettings, out: Output): void {
  out.note(`Following ${settings.endpointUrl} for new events and messages; Ctrl-C stops.`);
}

async function tail(settings: TailSettings, io: CliIo, out: Output): Promise<number> {
  const client = new ApiClient({
    apiUrl: settings.endpointUrl,
    fetch: io.fetch,
    userAgent: `fleetwave-cli/${cliVersion}`,
  });
  const feeds = feedsFor(settings, client);
  const interrupt = new AbortController();
  const stopListening = io.onInterrupt(() => interrupt.abort());
  const { signal } = interrupt;
  try {
    const since = await sinceEpochMs(settings.since, client, io, signal);
    // From the announcement on nothing recorded is missed: say so (on stderr), for people and for scripts that wait for it.
    let announced = !settings.follow;
    if (settings.since.kind === 'new') {
      await Promise.all(feeds.map((feed) => feed.skipRecorded(signal)));
      announce(settings, out);
      announced = true;
    }
    let failingSince: number | undefined;
    for (let first = true; ; first = false) {
      try {
        print(await Promise.all(feeds.map((feed) => feed.poll(signal, since))), settings, out);
        failingSince = undefined;
        if (!announced) announce(settings, out);
        announced = true;
      } catch (error) {
        if (first || !settings.follow || !isTransient(error)) throw error;
        failingSince ??= io.now();
        const failingFor = io.now() - failingSince;
        if (failingFor >= RESTART_BUDGET_MS) throw error;
        out.note(
          `poll failed (${Math.round(failingFor / 1000)}s of ${RESTART_BUDGET_MS / 1000}s waited out): ${(error as Error).message}`,
        );
      }
      if (!settings.follow) return ExitCode.OK;
      await io.sleep(POLL_MS, signal);
      if (signal.aborted) return ExitCode.OK;
    }
  } catch (error) {
    // Ctrl-C is how following ends: not a failure.
    if (error instanceof InterruptedError) return ExitCode.OK;
    throw error;
  } finally {
    stopListening();
  }
}

export const eventsTailCommand: Command = {
  path: ['events', 'tail'],
  summary: "follow the local stack's EventBridge events and SNS messages",
  description: [
    'Reads what the local stack recorded (GET /_fleetwave/events and /_fleetwave/sns/messages on its AWS endpoint) and prints one line per event or message, oldest first: time, kind (event or sns), detail type or topic, and the release and status it is about. Polls every second until Ctrl-C (exit 0); each entry is printed once.',
    'By default it shows only what arrives after it starts; --no-follow prints everything recorded and exits. --since starts earlier: a duration (5m) on the stack’s own clock, an ISO-8601 time, or all.',
    '--source and --detail-type filter events and leave messages out; --topic filters messages and leaves events out; give both kinds of filter to see both. A deployed stack records nothing to read: these routes exist only locally.',
  ],
  options: [
    {
      name: 'endpoint-url',
      type: 'string',
      valueName: 'URL',
      description: `the local stack's AWS endpoint (env AWS_ENDPOINT_URL; default ${defaultEndpointUrl})`,
    },
    {
      name: 'source',
      type: 'string',
      valueName: 'SOURCE',
      description: 'only events of this source (fleetwave)',
    },
    {
      name: 'detail-type',
      type: 'string',
      valueName: 'TYPE',
      description: "only events of this detail type ('Release Started')",
    },
    {
      name: 'topic',
      type: 'string',
      valueName: 'TOPIC',
      description: 'only messages of this SNS topic (name or ARN)',
    },
    { name: 'no-follow', type: 'boolean', description: 'print what is recorded and exit' },
    {
      name: 'since',
      type: 'string',
      valueName: 'WHEN',
      description:
        'start from a duration ago (5m), an ISO-8601 time, or all; default: only new ones (all with --no-follow)',
    },
    {
      name: 'output',
      type: 'string',
      valueName: 'FORMAT',
      description: 'text (default) or json: one JSON object per line',
    },
  ],
  examples: [
    { command: 'fleetwave events tail', comment: 'follow new events and messages until Ctrl-C' },
    {
      command: 'fleetwave events tail --no-follow --source fleetwave --output json',
      comment: "fleetwave's own events recorded so far, as JSON lines",
    },
    {
      command: 'fleetwave events tail --since 10m --topic fleetwave-local-NotificationTopic',
      comment: 'SNS messages of the last ten minutes, then new ones',
    },
  ],
  run: ({ args, io, out }) => tail(readTailSettings(args, io), io, out),
};

/**
 * Reading the local stack's recorded EventBridge events and SNS messages
 * (`GET /_fleetwave/events`, `GET /_fleetwave/sns/messages` on its AWS
 * endpoint) as feeds: each poll answers the entries recorded since the
 * previous one, oldest first. A poll reads pages newest first until it meets
 * the newest entry it answered before, so an entry is given once, and none is
 * skipped however many arrive between two polls, unless the stack's log
 * forgot them first: then the poll says how many were lost.
 */
import * as z from 'zod';
import { type ApiClient, pathOf } from '../api/client.js';
import { ApiError, ApiUnreachableError, CliError, UnexpectedAnswerError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** One recorded entry: an EventBridge event (plus its bus) or an SNS message. */
export interface FeedEntry {
  kind: 'event' | 'sns';
  id: string;
  /** Epoch ms: the event's `time`, the message's `timestamp`. */
  at: number;
  /** Epoch ms on the stack's clock when it received the entry (the sender chooses an event's `time`). */
  receivedAt: number;
  /** The entry's place in the stack's log (one more for each entry recorded, of any kind). */
  seq: number;
  /** The entry as the route answered it. */
  data: Record<string, unknown>;
}

/** The local stack's AWS endpoint does not answer at all: the same failure and exit code as an API that does not. */
export class EndpointUnreachableError extends ApiUnreachableError {
  constructor(endpointUrl: string, reason: string) {
    super(endpointUrl, reason);
    this.message =
      `Cannot reach the local stack's AWS endpoint at ${endpointUrl} (${reason}). ` +
      'Start the local stack with `npm start` (or `fleetwave local`), or set --endpoint-url / AWS_ENDPOINT_URL.';
  }
}

/** The endpoint answers, but has no such admin route: it is not the local stack (AWS records nothing to read). */
export class NotLocalStackError extends CliError {
  override readonly name = 'NotLocalStackError';
  readonly exitCode = ExitCode.API_REFUSED;
}

/** An answer's entries, each with its id, ISO time, arrival and place in the log, and the log's cursors. */
interface AnswerPage {
  items: { id: string; time: string; receivedAt: number; seq: number; item: Record<string, unknown> }[];
  nextToken?: string | undefined;
  oldestSeq?: number | undefined;
}

const logPlace = { receivedAt: z.number(), seq: z.number().int() };
const cursors = { nextToken: z.string().optional(), oldestSeq: z.number().int().optional() };

const eventsAnswer: z.ZodType<AnswerPage> = z
  .object({
    events: z.array(z.object({ id: z.string(), time: z.string(), ...logPlace }).loose()),
    ...cursors,
  })
  .transform(({ events, ...rest }) => ({
    items: events.map((e) => ({ id: e.id, time: e.time, receivedAt: e.receivedAt, seq: e.seq, item: e })),
    ...rest,
  }));

const messagesAnswer: z.ZodType<AnswerPage> = z
  .object({
    messages: z.array(z.object({ messageId: z.string(), timestamp: z.string(), ...logPlace }).loose()),
    ...cursors,
  })
  .transform(({ messages, ...rest }) => ({
    items: messages.map((m) => ({
      id: m.messageId,
      time: m.timestamp,
      receivedAt: m.receivedAt,
      seq: m.seq,
      item: m,
    })),
    ...rest,
  }));

/** Where a feed reads, and how its answer becomes entries. */
interface FeedSource {
  kind: FeedEntry['kind'];
  path: string;
  query: Record<string, string | undefined>;
  answer: z.ZodType<AnswerPage>;
}

/** The events feed: `source` and `detailType` filter it. */
export function eventsSource(filter: { source?: string; detailType?: string }): FeedSource {
  const query = { source: filter.source, 'detail-type': filter.detailType };
  return { kind: 'event', path: '/_fleetwave/events', query, answer: eventsAnswer };
}

/** The SNS feed: one topic (a name or an ARN), or every topic. */
export function messagesSource(topic: string | undefined): FeedSource {
  return { kind: 'sns', path: '/_fleetwave/sns/messages', query: { topic }, answer: messagesAnswer };
}

/** Sends one GET to the endpoint, with the errors of this command instead of the REST API's. */
async function getLocal(
  client: ApiClient,
  path: string,
  query: Record<string, string | undefined>,
  signal: AbortSignal,
): Promise<unknown> {
  try {
    return (await client.send({ method: 'GET', path, query, signal })).body;
  } catch (error) {
    if (error instanceof ApiUnreachableError) throw new EndpointUnreachableError(client.apiUrl, error.reason);
    // The admin routes answer their own errors with a code; a 404 without one is a route that does not exist.
    if (error instanceof ApiError && error.status === 404 && error.code === undefined) {
      throw new NotLocalStackError(
        `${client.apiUrl} has no ${path}: --endpoint-url must be the AWS endpoint of fleetwave's local stack ` +
          '(events and messages are recorded only there, not on AWS).',
      );
    }
    throw error;
  }
}

/** The pages a poll reads at most (100 entries each): the local logs keep 1000 entries. */
const MAX_PAGES = 20;

/** What one poll read: the new entries, oldest first, and how many the log forgot before they were read. */
export interface PollResult {
  entries: FeedEntry[];
  /** Entries (of any filter) pushed out of the stack's log between the previous poll and this one. */
  dropped: number;
}

/** A feed over one source; see the module comment. */
export class LocalFeed {
  /** The newest entry answered so far. */
  private newest: { id: string; seq: number } | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly source: FeedSource,
  ) {}

  /**
   * The entries recorded since the previous poll (on the first poll: all, or
   * those the stack received at or after `since` epoch ms on its clock), oldest first.
   */
  async poll(signal: AbortSignal, since?: number): Promise<PollResult> {
    const fresh: FeedEntry[] = [];
    let nextToken: string | undefined;
    let met = false;
    let oldestSeq: number | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.page(signal, nextToken, since);
      oldestSeq = answer.oldestSeq ?? oldestSeq;
      const stop = answer.entries.findIndex((e) => e.id === this.newest?.id);
      fresh.push(...(stop === -1 ? answer.entries : answer.entries.slice(0, stop)));
      nextToken = answer.nextToken;
      met = stop !== -1;
      if (met || nextToken === undefined) break;
    }
    // The newest entry read before is gone from the log: those between it and the oldest kept were never read.
    const dropped =
      !met && this.newest !== undefined && oldestSeq !== undefined
        ? Math.max(0, oldestSeq - this.newest.seq - 1)
        : 0;
    if (fresh[0]) this.newest = { id: fresh[0].id, seq: fresh[0].seq };
    return { entries: fresh.reverse(), dropped };
  }

  /** Remembers the newest entry without answering anything: later polls give only what comes after it. */
  async skipRecorded(signal: AbortSignal): Promise<void> {
    const [newest] = (await this.page(signal, undefined, undefined, 1)).entries;
    this.newest = newest && { id: newest.id, seq: newest.seq };
  }

  private async page(
    signal: AbortSignal,
    nextToken: string | undefined,
    after: number | undefined,
    maxResults = 100,
  ): Promise<{ entries: FeedEntry[]; nextToken?: string; oldestSeq?: number }> {
    const query = {
      ...this.source.query,
      maxResults: String(maxResults),
      nextToken,
      after: after === undefined ? undefined : String(Math.max(0, Math.ceil(after))),
    };
    const body = await getLocal(this.client, this.source.path, query, signal);
    const parsed = this.source.answer.safeParse(body);
    if (!parsed.success) {
      throw new UnexpectedAnswerError(
        `GET ${this.source.path} answered a body fleetwave cannot read; is ${this.client.apiUrl} the local stack's AWS endpoint?`,
      );
    }
    const { kind } = this.source;
    const entries = parsed.data.items.map(({ id, time, receivedAt, seq, item }) => ({
      kind,
      id,
      at: Date.parse(time),
      receivedAt,
      seq,
      data: item,
    }));
    return {
      entries,
      ...(parsed.data.nextToken !== undefined && { nextToken: parsed.data.nextToken }),
      ...(parsed.data.oldestSeq !== undefined && { oldestSeq: parsed.data.oldestSeq }),
    };
  }
}

/** The local stack's virtual time (`GET /_fleetwave/clock`), in epoch ms. */
export async function stackNow(client: ApiClient, signal: AbortSignal): Promise<number> {
  const body = await getLocal(client, pathOf('_fleetwave', 'clock'), {}, signal);
  const epochMs = (body as { epochMs?: unknown } | undefined)?.epochMs;
  if (typeof epochMs !== 'number')
    throw new UnexpectedAnswerError('GET /_fleetwave/clock answered no epochMs');
  return epochMs;
}

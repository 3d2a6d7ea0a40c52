/**
 * PutEvents as EventBridge answers it: request-level validation (1 to 10
 * entries, 256 KB in all) fails the whole call with `ValidationException`;
 * an entry that breaks a rule fails alone, with its `ErrorCode` and
 * `ErrorMessage` in the result at the same index, while the other entries
 * are accepted. Accepted entries become the event EventBridge delivers to
 * targets (and that a Lambda target receives).
 */
import { busNameOf, EventsError, validationMessage } from './protocol.js';

/** The event EventBridge delivers to a target, as a Lambda function receives it. */
export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO-8601 in whole seconds, `2026-01-01T12:00:00Z`. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** One entry of the PutEvents result. */
type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResponse {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** An entry EventBridge accepted, with the bus it was put on. */
export interface AcceptedEvent {
  eventBusName: string;
  event: EventBridgeEvent;
}

export interface PutEventsContext {
  /** Virtual epoch ms: the event time of entries without `Time`. */
  now: number;
  region: string;
  accountId: string;
  newEventId: () => string;
  /** Limit of the summed entry sizes; EventBridge's is 256 KB. */
  maxRequestBytes: number;
}

/** EventBridge's PutEvents quota: 10 entries per call. */
const MAX_ENTRIES = 10;
/** 256 KB: the documented limit on the total size of a PutEvents request's entries. */
export const MAX_REQUEST_BYTES = 256 * 1024;
const MAX_DETAIL_TYPE_LENGTH = 128;

interface Entry {
  Time?: unknown;
  Source?: unknown;
  Resources?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  TraceHeader?: unknown;
}

const bytes = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);

/** EventBridge's size rule: Time counts 14 bytes; Source, DetailType, Detail and each resource their UTF-8 bytes. */
function entrySize(entry: Entry): number {
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  return (
    (entry.Time === undefined || entry.Time === null ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    resources.reduce((sum: number, r) => sum + bytes(r), 0)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const malformedDetail = { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };

const invalidArgument = (field: string, reason: string) => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${field} is not valid. Reason: ${reason}`,
});

/** The epoch ms of an entry's `Time`: epoch seconds (how JSON 1.1 carries timestamps) or an ISO string. */
function timeOf(value: unknown, now: number): number | undefined {
  if (value === undefined || value === null) return now;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

/** `2026-01-01T12:00:00Z`: EventBridge event times carry no fraction of a second. */
function eventTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

type EntryError = { ErrorCode: string; ErrorMessage: string };

function checkEntry(entry: Entry): { error: EntryError } | { detail: Record<string, unknown> } {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      return { error: invalidArgument(field, `${field} is a required argument.`) };
    }
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return { error: malformedDetail };
  }
  if (!isObject(detail)) return { error: malformedDetail };
  if ((entry.DetailType as string).length > MAX_DETAIL_TYPE_LENGTH) {
    return {
      error: invalidArgument(
        'DetailType',
        `DetailType must be at most ${MAX_DETAIL_TYPE_LENGTH} characters.`,
      ),
    };
  }
  // Sources under aws. belong to AWS services; an account cannot put events in their name.
  if ((entry.Source as string).startsWith('aws.')) {
    return {
      error: { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
    };
  }
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string')) {
    return { error: invalidArgument('Resources', 'Resources must be a list of strings.') };
  }
  return { detail };
}

/** Validates the request, builds the events of the valid entries and the AWS response. */
export function putEvents(
  body: unknown,
  context: PutEventsContext,
): { response: PutEventsResponse; accepted: AcceptedEvent[] } {
  const entries = isObject(body) ? body.Entries : undefined;
  if (entries === undefined || entries === null) {
    throw new EventsError(
      'ValidationException',
      validationMessage(["Value null at 'entries' failed to satisfy constraint: Member must not be null"]),
    );
  }
  if (!Array.isArray(entries) || entries.some((e) => !isObject(e))) {
    throw new EventsError('SerializationException', 'Start of list found where not expected');
  }
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    const bound = entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
    throw new EventsError(
      'ValidationException',
      validationMessage([
        `Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`,
      ]),
    );
  }
  const typed = entries as Entry[];
  if (typed.reduce((sum, e) => sum + entrySize(e), 0) > context.maxRequestBytes) {
    throw new EventsError(
      'ValidationException',
      'Total size of the entries in the request is over the limit.',
    );
  }

  const accepted: AcceptedEvent[] = [];
  const results: PutEventsResultEntry[] = typed.map((entry) => {
    const checked = checkEntry(entry);
    if ('error' in checked) return checked.error;
    const time = timeOf(entry.Time, context.now);
    if (time === undefined) return invalidArgument('Time', 'Time is not a valid timestamp.');
    const id = context.newEventId();
    accepted.push({
      eventBusName: busNameOf(typeof entry.EventBusName === 'string' ? entry.EventBusName : undefined),
      event: {
        version: '0',
        id,
        'detail-type': entry.DetailType as string,
        source: entry.Source as string,
        account: context.accountId,
        time: eventTime(time),
        region: context.region,
        resources: (entry.Resources as string[] | undefined) ?? [],
        detail: checked.detail,
      },
    });
    return { EventId: id };
  });
  return {
    response: { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results },
    accepted,
  };
}

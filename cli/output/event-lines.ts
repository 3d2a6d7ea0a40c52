/**
 * `fleetwave events tail` lines: one per recorded EventBridge event or SNS
 * message, `<time>  <kind>  <detail-type or topic>  <summary>`, the summary
 * naming the release and its status where the entry carries them.
 */
import type { FeedEntry } from '../commands/events-feed.js';
import { logTime } from './release-lines.js';
import { type Paint, printable } from './terminal.js';

/** Column width of the detail type / topic: the longest fleetwave detail type is 25 characters. */
const NAME_WIDTH = 26;

/** A field as text fit for a terminal (fields come from whoever put the event); undefined when it is none. */
const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? printable(String(value)) : undefined;

/** `releaseId=r1 status=IN_PROGRESS wave=2`, from whichever of those `fields` holds. */
function summaryOf(fields: Record<string, unknown>): string[] {
  const releaseId = text(fields.releaseId);
  const status = text(fields.releaseStatus) ?? text(fields.status);
  const wave = text(fields.waveNumber);
  return [
    ...(releaseId !== undefined ? [`releaseId=${releaseId}`] : []),
    ...(status !== undefined ? [`status=${status}`] : []),
    ...(wave !== undefined ? [`wave=${wave}`] : []),
  ];
}

/** The SNS attributes' string values (fleetwave's notifier puts releaseId and waveNumber there). */
function attributeValues(data: Record<string, unknown>): Record<string, unknown> {
  const attributes = data.messageAttributes;
  if (typeof attributes !== 'object' || attributes === null) return {};
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      (value as { StringValue?: unknown }).StringValue,
    ]),
  );
}

/** The topic's name: the last part of its ARN. */
function topicName(arn: unknown): string {
  const value = text(arn) ?? '?';
  return value.slice(value.lastIndexOf(':') + 1);
}

/** One text line for `entry`. */
export function eventLine(entry: FeedEntry, paint: Paint): string {
  const { data } = entry;
  if (entry.kind === 'event') {
    const detail = typeof data.detail === 'object' && data.detail !== null ? data.detail : {};
    const summary = summaryOf(detail as Record<string, unknown>);
    const name = text(data['detail-type']) ?? '?';
    return [
      logTime(entry.at),
      paint('cyan', 'event'),
      name.padEnd(NAME_WIDTH),
      [`source=${text(data.source) ?? '?'}`, ...summary].join(' '),
    ].join('  ');
  }
  const subject = typeof data.subject === 'string' ? printable(JSON.stringify(data.subject)) : undefined;
  const summary = summaryOf(attributeValues(data));
  return [
    logTime(entry.at),
    paint('yellow', 'sns  '),
    topicName(data.topicArn).padEnd(NAME_WIDTH),
    [...(subject !== undefined ? [subject] : []), ...summary].join(' '),
  ].join('  ');
}

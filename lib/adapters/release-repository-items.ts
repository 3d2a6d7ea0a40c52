/**
 * The single-table layout of releases (see docs/data-model.md): keys, the
 * GSI attributes, history sort keys and page tokens. Items read back are
 * parsed with the domain schemas, so a malformed item fails loudly here and
 * never travels further as a half-typed object.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { UpstreamError, ValidationError } from '../domain/errors.js';
import {
  type HistoryEvent,
  historyEventSchema,
  type Release,
  releaseSchema,
  type WaveState,
  waveStateSchema,
} from '../domain/release.js';
import type { ReleaseStatus } from '../domain/statuses.js';
import { waveLabel } from '../domain/wave-job.js';

export const GSI1 = 'gsi1';
export const RELEASE_SK = 'RELEASE';
export const WAVE_SK_PREFIX = 'WAVE#';
export const EVENT_SK_PREFIX = 'EVENT#';

export interface ItemKey {
  pk: string;
  sk: string;
}

export function releasePk(releaseId: string): string {
  return `RELEASE#${releaseId}`;
}

export function releaseKey(releaseId: string): ItemKey {
  return { pk: releasePk(releaseId), sk: RELEASE_SK };
}

export function waveKey(releaseId: string, waveNumber: number): ItemKey {
  return { pk: releasePk(releaseId), sk: `${WAVE_SK_PREFIX}${waveLabel(waveNumber).slice(1)}` };
}

/** The GSI partition of releases of one status. */
export function statusPartition(status: ReleaseStatus): string {
  return `STATUS#${status}`;
}

/** The GSI sort key: creation time, then id, so equal times still order stably. */
function listingSortKey(release: Pick<Release, 'createdAt' | 'releaseId'>): string {
  return `${release.createdAt}#${release.releaseId}`;
}

/**
 * The stored item of a release: the record, its keys, and the key of its
 * last status event (`statusEventSeq`, `statusEventAt`), kept so that event
 * can be written again, identically, after the release's `updatedAt` moved on.
 */
export function releaseItem(
  release: Release,
  statusEvent: { seq: string; at: string | undefined },
): Record<string, unknown> {
  return {
    ...releaseKey(release.releaseId),
    gsi1pk: statusPartition(release.status),
    gsi1sk: listingSortKey(release),
    statusEventSeq: statusEvent.seq,
    // Unknown on an item written before it was kept: left unknown, never guessed.
    ...(statusEvent.at !== undefined && { statusEventAt: statusEvent.at }),
    ...release,
  };
}

let lastTick = 0n;

/**
 * The tie-breaker of history sort keys (`EVENT#<at>#<seq>`): events of the
 * same millisecond (common on the local stack's virtual clock) sort in the
 * order this process wrote them, and `<source>-<version>` (`R` for the
 * release, `W01`… for a wave, with the version the write produced) makes
 * the key unique. The seq of a status change is stored on the changed item,
 * so a retried task that finds its change stored writes the same event key
 * again and the conditional put keeps one copy.
 */
export function eventSeq(source: string, version: number): string {
  let tick = process.hrtime.bigint();
  if (tick <= lastTick) tick = lastTick + 1n;
  lastTick = tick;
  return `${tick.toString().padStart(20, '0')}-${source}-${String(version).padStart(6, '0')}`;
}

export const RELEASE_EVENT_SOURCE = 'R';

/** The `<source>` of `RELEASE_LINKED` events' seq. */
const LINK_EVENT_SOURCE = 'L';

/**
 * The seq of the `RELEASE_LINKED` event naming `relatedReleaseId`: taken
 * from the related id alone (a digest in place of the write tick), so every
 * attempt to write the link names the same key and the conditional put keeps
 * one event, and two links of the same millisecond still differ.
 */
export function linkEventSeq(relatedReleaseId: string): string {
  const digest = BigInt(
    `0x${createHash('sha256').update(relatedReleaseId, 'utf8').digest('hex').slice(0, 16)}`,
  );
  return `${digest.toString().padStart(20, '0')}-${LINK_EVENT_SOURCE}-${'1'.padStart(6, '0')}`;
}

export function waveEventSource(waveNumber: number): string {
  return waveLabel(waveNumber).toUpperCase();
}

export function eventKey(releaseId: string, at: string, seq: string): ItemKey {
  return { pk: releasePk(releaseId), sk: `${EVENT_SK_PREFIX}${at}#${seq}` };
}

function parseItem<T>(schema: z.ZodType<T>, item: Record<string, unknown>, what: string): T {
  const parsed = schema.safeParse(item);
  if (!parsed.success) {
    throw new UpstreamError(
      `A stored ${what} item is malformed (${String(item.pk)} ${String(item.sk)}).`,
      'MalformedItem',
    );
  }
  return parsed.data;
}

export function toRelease(item: Record<string, unknown>): Release {
  return parseItem(releaseSchema, item, 'release');
}

export function toWaveState(item: Record<string, unknown>): WaveState {
  return parseItem(waveStateSchema, item, 'wave');
}

export function toHistoryEvent(item: Record<string, unknown>): HistoryEvent {
  return parseItem(historyEventSchema, item, 'history event');
}

/** An opaque page token: base64url JSON. */
export function encodePageToken(cursor: object): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** Reads a page token back. @throws ValidationError (on `nextToken`) for anything this adapter did not issue. */
export function decodePageToken<T>(token: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError('The nextToken is invalid.', [
      { path: 'nextToken', message: 'is not a token this API issued' },
    ]);
  }
  return parsed.data;
}

/** Checks a page size. @throws ValidationError (on `limit`) */
export function pageLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new ValidationError('The limit is invalid.', [
      { path: 'limit', message: `must be an integer from 1 to ${max}` },
    ]);
  }
  return limit;
}

/**
 * Each release once, at its newest `version`: listing every status queries
 * one GSI partition per status at the same time, so a release that changes
 * status between two of those queries is read from both partitions.
 */
export function newestCopies<T extends Record<string, unknown>>(items: readonly T[]): T[] {
  const newest = new Map<unknown, T>();
  for (const item of items) {
    const seen = newest.get(item.releaseId);
    if (!seen || Number(item.version ?? 0) > Number(seen.version ?? 0)) newest.set(item.releaseId, item);
  }
  return items.filter((item) => newest.get(item.releaseId) === item);
}

/**
 * Releases, waves and their history in the single DynamoDB table: the
 * {@link ReleaseStore} over `@aws-sdk/lib-dynamodb`.
 *
 * Every change reads the item (strongly consistent), checks the move against
 * the domain's transition tables, and writes the whole item on the condition
 * that its version has not changed; a writer that lost the race reads again
 * and decides anew. So a retried or concurrent task can never move a
 * release or a wave backwards, and no write needs a transaction.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { WORKFLOW_ACTOR } from '../domain/actors.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Approval } from '../domain/release.js';
import {
  type HistoryEvent,
  type NotificationOutcome,
  pendingWave,
  type Release,
  type ReleaseWithWaves,
  type TaskTokenPurpose,
  type WaveState,
} from '../domain/release.js';
import { type ReleaseDerivation, storedRequestHash } from '../domain/release-derivation.js';
import { movedRelease } from '../domain/release-move.js';
import type { PauseAction, PauseHalt } from '../domain/release-pause.js';
import { type ReleaseRequest, STORED_RELEASE_ID_MAX_LENGTH } from '../domain/release-request.js';
import type {
  Changed,
  HoldResult,
  Page,
  PageRequest,
  ReleaseLink,
  ReleaseStore,
  ReleaseTransition,
  ResumeResult,
  ResumeUndo,
  TakenTaskToken,
  TargetSetGathered,
  TerminalWaveStatus,
  WaveObservation,
  WaveStart,
  WaveTransition,
} from '../domain/release-store.js';
import {
  isTerminalReleaseStatus,
  type ReleaseStatus,
  releaseStatuses,
  releaseStatusesLeadingTo,
  releaseTransitions,
  type WaveStatus,
} from '../domain/statuses.js';
import { recordTargetSetWith } from '../domain/target-set.js';
import type { Instant } from '../domain/wave-evaluation.js';
import type { WaveHaltChange } from '../domain/wave-halt.js';
import {
  decodePageToken,
  EVENT_SK_PREFIX,
  encodePageToken,
  eventSeq,
  GSI1,
  linkEventSeq,
  newestCopies,
  pageLimit,
  RELEASE_EVENT_SOURCE,
  RELEASE_SK,
  releaseItem,
  releaseKey,
  releasePk,
  statusPartition,
  toHistoryEvent,
  toRelease,
  toWaveState,
  WAVE_SK_PREFIX,
} from './release-repository-items.js';
import { PauseRecords } from './release-repository-pause.js';
import {
  allowedFrom,
  checkedRelease,
  knownReleaseStatusEvents,
  MAX_ATTEMPTS,
  type ReleaseItem,
  releaseStatusEvent,
  toReleaseItem,
  toWaveItem,
  waveProgressEvent,
  waveStatusEvent,
} from './release-repository-records.js';
import { type ReleaseRepositoryConfig, ReleaseTable } from './release-repository-table.js';
import { WaveRecords } from './release-repository-waves.js';

export type { ReleaseRepositoryConfig } from './release-repository-table.js';

/**
 * What a page token may carry: exactly the shape of the sort keys this
 * repository issues, so an altered token is a 400 here, never a key that
 * DynamoDB refuses (a range key over 1,024 bytes) or that reads elsewhere.
 */
const isoInstant = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z`;
/** `<createdAt>#<releaseId>`: the GSI sort key of a release (release-repository-items.ts). */
const listingKey = new RegExp(`^${isoInstant}#[a-zA-Z0-9_-]{1,${STORED_RELEASE_ID_MAX_LENGTH}}$`);
/** `EVENT#<at>#<seq>`: a history event's sort key (release-repository-items.ts, eventSeq). */
const historyKey = new RegExp(`^${EVENT_SK_PREFIX}${isoInstant}#\\d{20}-[A-Z0-9]{1,8}-\\d{6}$`);
const releasePageToken = z.strictObject({
  after: z.string().max(256).regex(listingKey),
  status: z.enum(releaseStatuses).optional(),
});
const historyPageToken = z.strictObject({ after: z.string().max(256).regex(historyKey) });
/** The `<source>` of notification history entries' seq (`R` is the release, `W01`... its waves). */
const NOTIFICATION_EVENT_SOURCE = 'N';

export class ReleaseRepository implements ReleaseStore {
  private readonly table: ReleaseTable;
  private readonly waves: WaveRecords;
  private readonly pauses: PauseRecords;

  constructor(client: DynamoDBDocumentClient, config: ReleaseRepositoryConfig) {
    this.table = new ReleaseTable(client, config);
    this.waves = new WaveRecords(this.table);
    this.pauses = new PauseRecords(this.table);
  }

  async createRelease(
    request: ReleaseRequest,
    actor?: string,
    derivation?: ReleaseDerivation,
  ): Promise<Changed<Release>> {
    const id = request.releaseId;
    const now = this.table.iso();
    const release: Release = {
      ...request,
      ...derivation,
      status: 'PENDING',
      version: 1,
      requestHash: storedRequestHash(request, derivation),
      createdAt: now,
      updatedAt: now,
      ...(actor !== undefined && { statusActor: actor, createdBy: actor }),
    };
    const seq = eventSeq(RELEASE_EVENT_SOURCE, 1);
    const created = await this.table.putIfVersion(id, releaseItem(release, { seq, at: now }), 0);
    const stored = created
      ? { release, statusEventSeq: seq, statusEventAt: now }
      : await this.readRelease(id);
    if (!stored || stored.release.requestHash !== release.requestHash) {
      throw new ConflictError(`Release ${id} already exists with a different request.`, id);
    }
    // Also on a retry: the first attempt may have stopped before its history event.
    if (stored.release.version === 1) await this.table.putEvent(releaseStatusEvent(stored));
    return { value: stored.release, changed: created };
  }

  async linkRelease(releaseId: string, link: ReleaseLink): Promise<boolean> {
    return this.table.putEvent({
      releaseId,
      type: 'RELEASE_LINKED',
      at: link.at,
      seq: linkEventSeq(link.relatedReleaseId),
      reason: link.reason,
      actor: link.actor,
      relatedReleaseId: link.relatedReleaseId,
    });
  }

  async getRelease(releaseId: string): Promise<ReleaseWithWaves> {
    const items = await this.recordItems(releaseId);
    const releaseItemFound = items.find((item) => item.sk === RELEASE_SK);
    if (!releaseItemFound) throw new NotFoundError(`Release ${releaseId} does not exist.`, releaseId);
    const release = toRelease(releaseItemFound);
    const stored = new Map(
      items
        .filter((item) => String(item.sk).startsWith(WAVE_SK_PREFIX))
        .map((item) => toWaveState(item))
        .map((wave) => [wave.waveNumber, wave]),
    );
    const waves = release.waves.map((_, i) => stored.get(i + 1) ?? pendingWave(releaseId, i + 1));
    return { release, waves };
  }

  async listReleases(request: PageRequest & { status?: ReleaseStatus } = {}): Promise<Page<Release>> {
    const limit = pageLimit(request.limit, 25, 100);
    const cursor = request.nextToken ? decodePageToken(request.nextToken, releasePageToken) : undefined;
    if (cursor && cursor.status !== request.status) {
      throw new ValidationError('The nextToken belongs to another listing.', [
        { path: 'nextToken', message: 'was issued for another status filter' },
      ]);
    }
    // One GSI partition per status. Listing all statuses merges the newest
    // `limit + 1` of each; the extra item tells whether another page exists.
    const statuses = request.status ? [request.status] : releaseStatuses;
    const perStatus = await Promise.all(
      statuses.map((status) =>
        this.table.query(
          'releases',
          {
            IndexName: GSI1,
            KeyConditionExpression: cursor ? 'gsi1pk = :pk AND gsi1sk < :after' : 'gsi1pk = :pk',
            ExpressionAttributeValues: {
              ':pk': statusPartition(status),
              ...(cursor && { ':after': cursor.after }),
            },
            ScanIndexForward: false,
          },
          limit + 1,
        ),
      ),
    );
    // Byte order, newest first, as DynamoDB compares the `gsi1sk < :after` of the next page.
    const merged = newestCopies(perStatus.flat()).sort((a, b) =>
      String(a.gsi1sk) < String(b.gsi1sk) ? 1 : -1,
    );
    const page = merged.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((item) => toRelease(item)),
      ...(merged.length > limit &&
        last && { nextToken: encodePageToken({ after: String(last.gsi1sk), status: request.status }) }),
    };
  }

  async listHistory(releaseId: string, request: PageRequest = {}): Promise<Page<HistoryEvent>> {
    const limit = pageLimit(request.limit, 100, 500);
    const cursor = request.nextToken ? decodePageToken(request.nextToken, historyPageToken) : undefined;
    const pk = releasePk(releaseId);
    const items = await this.table.query(
      releaseId,
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: { ':pk': pk, ':events': EVENT_SK_PREFIX },
        ...(cursor && { ExclusiveStartKey: { pk, sk: cursor.after } }),
        ConsistentRead: true,
      },
      limit + 1,
    );
    if (items.length === 0 && !cursor && !(await this.readRelease(releaseId))) {
      throw new NotFoundError(`Release ${releaseId} does not exist.`, releaseId);
    }
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((item) => toHistoryEvent(item)),
      ...(items.length > limit && last && { nextToken: encodePageToken({ after: String(last.sk) }) }),
    };
  }

  /**
   * Adds a `NOTIFICATION` entry to the release's history: what became of one
   * event sent to SNS or to the release's webhook. Each call is a new entry
   * (a retried step that notifies again records that second try too).
   */
  async recordNotification(releaseId: string, outcome: NotificationOutcome, at?: Instant): Promise<void> {
    await this.table.putEvent({
      releaseId,
      type: 'NOTIFICATION',
      at: this.table.iso(at),
      seq: eventSeq(NOTIFICATION_EVENT_SOURCE, 1),
      actor: WORKFLOW_ACTOR,
      notification: outcome,
    });
  }

  async transitionRelease(releaseId: string, transition: ReleaseTransition): Promise<Changed<Release>> {
    const { to } = transition;
    const from = allowedFrom(
      releaseTransitions,
      releaseStatusesLeadingTo(to),
      transition.from,
      to,
      'release',
    );
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.readRelease(releaseId);
      if (!stored) throw new NotFoundError(`Release ${releaseId} does not exist.`, releaseId);
      const current = stored.release;
      const next = movedRelease(current, { ...transition, from, at: this.table.iso(transition.at) });
      if (!next) {
        // A retried move: its change is stored, its event (or, at the end, another one) may not be.
        await this.table.putEventsOfStoredChange(
          knownReleaseStatusEvents(stored),
          isTerminalReleaseStatus(to) ? () => this.repairHistory(releaseId) : undefined,
        );
        return { value: current, changed: false };
      }
      // The event of the status being left, in case its writer stopped before writing it.
      for (const e of knownReleaseStatusEvents(stored)) await this.table.putEvent(e);
      const event = { seq: eventSeq(RELEASE_EVENT_SOURCE, next.version), at: next.updatedAt };
      if (
        await this.table.putIfVersion(releaseId, releaseItem(checkedRelease(next), event), current.version)
      ) {
        await this.table.putEventsOfStoredChange(
          [releaseStatusEvent({ release: next, statusEventSeq: event.seq, statusEventAt: event.at })],
          isTerminalReleaseStatus(to) ? () => this.repairHistory(releaseId) : undefined,
        );
        return { value: next, changed: true };
      }
    }
    throw new ConflictError(`Release ${releaseId} kept changing; try again.`, releaseId);
  }

  /**
   * Writes again the history events that the release's records still hold
   * (the release's last status change, each wave's last status change and
   * last progress) wherever they are missing: what a writer that stopped
   * between a record and its event left out. Each put is conditional, so
   * events already there are kept as they are; returns how many were
   * missing. Every event but an item's last is written before that item
   * changes again (the change first puts the event of the state it
   * leaves), so these are the only ones a stop can lose.
   */
  async repairHistory(releaseId: string): Promise<number> {
    const items = await this.recordItems(releaseId);
    const events: HistoryEvent[] = [];
    for (const item of items) {
      if (item.sk === RELEASE_SK) {
        events.push(...knownReleaseStatusEvents(toReleaseItem(item)));
      } else if (String(item.sk).startsWith(WAVE_SK_PREFIX)) {
        const wave = toWaveItem(item);
        if (wave.statusEventSeq) events.push(waveStatusEvent(wave));
        if (wave.progressEventSeq) events.push(waveProgressEvent(wave));
      }
    }
    let written = 0;
    for (const event of events) if (await this.table.putEvent(event)) written++;
    return written;
  }

  getWave(releaseId: string, waveNumber: number): Promise<WaveState> {
    return this.waves.getWave(releaseId, waveNumber);
  }

  async startWave(releaseId: string, waveNumber: number, start: WaveStart): Promise<Changed<WaveState>> {
    const started = await this.waves.startWave(releaseId, waveNumber, start);
    await this.followCurrentWave(releaseId, waveNumber, start.at);
    return started;
  }

  /**
   * The release's `currentWave` follows the last wave that started: status
   * changes alone would leave it on wave 1 while later waves run. Never moves
   * it back, writes no history (the wave's own event says it started).
   */
  private async followCurrentWave(releaseId: string, waveNumber: number, at: WaveStart['at']): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.readRelease(releaseId);
      if (!stored || (stored.release.currentWave ?? 0) >= waveNumber) return;
      const current = stored.release;
      const next: Release = {
        ...current,
        currentWave: waveNumber,
        version: current.version + 1,
        updatedAt: this.table.iso(at),
      };
      const item = releaseItem(checkedRelease(next), {
        seq: stored.statusEventSeq,
        at: stored.statusEventAt,
      });
      if (await this.table.putIfVersion(releaseId, item, current.version)) return;
    }
  }

  changeWaveHalt(releaseId: string, waveNumber: number, change: WaveHaltChange): Promise<Changed<WaveState>> {
    return this.waves.changeWaveHalt(releaseId, waveNumber, change);
  }

  recordWaveProgress(
    releaseId: string,
    waveNumber: number,
    observation: WaveObservation,
  ): Promise<Changed<WaveState>> {
    return this.waves.recordWaveProgress(releaseId, waveNumber, observation);
  }

  transitionWave(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    transition: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    return this.waves.transitionWave(releaseId, waveNumber, to, transition);
  }

  finishWave(
    releaseId: string,
    waveNumber: number,
    to: TerminalWaveStatus,
    transition: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    return this.waves.transitionWave(releaseId, waveNumber, to, transition);
  }

  async markRemainingWavesCanceled(
    releaseId: string,
    transition: Omit<WaveTransition, 'from'> = {},
  ): Promise<number[]> {
    const { waves } = await this.getRelease(releaseId);
    const canceled: number[] = [];
    for (const wave of waves.filter((w) => w.status === 'PENDING')) {
      try {
        const result = await this.transitionWave(releaseId, wave.waveNumber, 'CANCELED', {
          ...transition,
          from: ['PENDING'],
        });
        if (result.changed) canceled.push(wave.waveNumber);
      } catch (error) {
        // The wave started meanwhile: it is the caller's running wave, not a remaining one.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return canceled;
  }

  storeTaskToken(
    releaseId: string,
    waveNumber: number,
    token: { token: string; purpose: TaskTokenPurpose; at?: Instant },
  ): Promise<WaveState> {
    return this.waves.storeTaskToken(releaseId, waveNumber, token);
  }

  takeTaskToken(
    releaseId: string,
    waveNumber: number,
    purpose?: TaskTokenPurpose,
  ): Promise<TakenTaskToken | undefined> {
    return this.waves.takeTaskToken(releaseId, waveNumber, purpose);
  }

  /** The release's item and its waves' items (no history). */
  private recordItems(releaseId: string): Promise<Record<string, unknown>[]> {
    // RELEASE sorts before WAVE#…, after EVENT#…: one query reads the release and its waves.
    return this.table.query(
      releaseId,
      {
        KeyConditionExpression: 'pk = :pk AND sk >= :sk',
        ExpressionAttributeValues: { ':pk': releasePk(releaseId), ':sk': RELEASE_SK },
        ConsistentRead: true,
      },
      Number.POSITIVE_INFINITY,
    );
  }

  approveGate(
    releaseId: string,
    waveNumber: number,
    approval: Approval,
  ): Promise<TakenTaskToken | undefined> {
    return this.waves.approveGate(releaseId, waveNumber, approval);
  }

  openGate(
    releaseId: string,
    waveNumber: number,
    token: { token: string; at?: Instant },
  ): Promise<Approval | undefined> {
    return this.waves.openGate(releaseId, waveNumber, token);
  }

  withdrawApproval(releaseId: string, waveNumber: number, taken: TakenTaskToken | undefined): Promise<void> {
    return this.waves.withdrawApproval(releaseId, waveNumber, taken);
  }

  approvalOf(releaseId: string, waveNumber: number): Promise<Approval | undefined> {
    return this.waves.approvalOf(releaseId, waveNumber);
  }

  requestPause(releaseId: string, action: PauseAction, halt?: PauseHalt): Promise<Changed<Release>> {
    return this.pauses.requestPause(releaseId, action, halt);
  }

  holdRelease(releaseId: string, hold: { token: string; where: string; at?: Instant }): Promise<HoldResult> {
    return this.pauses.holdRelease(releaseId, hold);
  }

  resumeRelease(releaseId: string, action: PauseAction): Promise<ResumeResult> {
    return this.pauses.resumeRelease(releaseId, action);
  }

  withdrawResume(releaseId: string, undo: ResumeUndo): Promise<void> {
    return this.pauses.withdrawResume(releaseId, undo);
  }

  recordTargetSetGathered(releaseId: string, gathered: TargetSetGathered): Promise<Changed<Release>> {
    // The same one-write change of the release item as a pause (its hold token is kept).
    return recordTargetSetWith(this.pauses.changeOf(releaseId), {
      ...gathered,
      at: this.table.iso(gathered.at),
    });
  }

  private async readRelease(releaseId: string): Promise<ReleaseItem | undefined> {
    const item = await this.table.get(releaseId, releaseKey(releaseId));
    return item ? toReleaseItem(item) : undefined;
  }
}

/**
 * What the people and tools around the stack do during one life: create the
 * releases not created yet, and on every turn read each release and let its
 * shape act. The first turn of a life acts on what the previous life last
 * showed, before reading anything: an approval sent the moment the stack is
 * back, which is where a restart hurts.
 */
import type { ActionJournal } from './action-journal.js';
import { crashCall, type ReleaseView, readRelease } from './crash-api.js';
import type { StackLife } from './crash-stack.js';
import type { ReleaseShape } from './release-shapes.js';

/** What the driver carries from one life to the next. */
export interface DriverMemory {
  readonly shapes: readonly ReleaseShape[];
  readonly journal: ActionJournal;
  /** The last view read of each release, by release id. */
  readonly views: Map<string, ReleaseView>;
  /** The releases whose `POST /releases` was answered 200 or 202. */
  readonly created: Set<string>;
  /** Answers of `POST /releases` other than 200/202, for the report. */
  readonly createProblems: string[];
}

/** Time between two turns of the driver (wall clock); the stack runs on meanwhile. */
const turnMs = 150;

async function createMissing(life: StackLife, memory: DriverMemory): Promise<void> {
  await Promise.all(
    memory.shapes
      .filter((shape) => !memory.created.has(shape.releaseId))
      .map(async (shape) => {
        const answer = await crashCall(life.apiUrl, 'POST', '/releases', shape.request);
        if (answer.status === 200 || answer.status === 202) memory.created.add(shape.releaseId);
        else if (answer.status !== 0)
          memory.createProblems.push(
            `POST /releases ${shape.releaseId}: ${answer.status} ${JSON.stringify(answer.json)}`,
          );
      }),
  );
}

async function turn(
  life: StackLife,
  index: number,
  memory: DriverMemory,
  firstAfterStart: boolean,
): Promise<void> {
  await Promise.all(
    memory.shapes.map(async (shape) => {
      if (!firstAfterStart) {
        const view = await readRelease(life.apiUrl, shape.releaseId);
        if (view !== undefined) memory.views.set(shape.releaseId, view);
      }
      await shape.drive?.({
        apiUrl: life.apiUrl,
        journal: memory.journal,
        view: memory.views.get(shape.releaseId),
        life: index,
        firstAfterStart,
      });
    }),
  );
}

/**
 * Drives one life from its banner until `stop()` says so (the life is about
 * to be killed, or the run has what it waited for). Resolves at once if the
 * life never printed its banner.
 */
export async function driveLife(
  life: StackLife,
  index: number,
  memory: DriverMemory,
  stop: () => boolean,
): Promise<void> {
  if (!(await life.ready) || stop()) return;
  await Promise.all([turn(life, index, memory, true), createMissing(life, memory)]);
  while (!stop()) {
    await createMissing(life, memory);
    await turn(life, index, memory, false);
    if (!stop()) await new Promise((resolve) => setTimeout(resolve, turnMs));
  }
}

/** One line per release: status, current wave and its status, as last read. */
export function runningSummary(memory: DriverMemory): string {
  return memory.shapes
    .map((shape) => {
      const view = memory.views.get(shape.releaseId);
      if (view === undefined)
        return `${shape.releaseId}: ${memory.created.has(shape.releaseId) ? 'created' : 'not created'}`;
      const wave = view.waves.find((w) => w.waveNumber === view.release.currentWave);
      return `${shape.releaseId}: ${view.release.status}${wave ? ` (wave ${wave.waveNumber} ${wave.status})` : ''}`;
    })
    .join('; ');
}

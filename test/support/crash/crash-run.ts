/**
 * One crash run: the local stack as a user runs it (`npm start --data-dir`),
 * the releases of every shape in flight at once, killed with SIGKILL at
 * seeded moments (during start-up too) and started again on the same data
 * dir, then left to finish; then every invariant is checked on what is left.
 *
 *   setup life   creates the failing cohort's things, stops with Ctrl-C
 *   life 0..K-1  each killed `delay` ms after it was spawned
 *   life K       runs until every release ended, virtual time moves on,
 *                the end state is read and checked, then Ctrl-C
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
} from '@aws-sdk/client-iot';
import { freePort, groupAlive } from '../../e2e/npm-start-support.js';
import { ActionJournal } from './action-journal.js';
import { crashCall } from './crash-api.js';
import { type DriverMemory, driveLife, runningSummary } from './crash-driver.js';
import { type CrashStackSettings, type StackLife, spawnStackLife } from './crash-stack.js';
import { iotClient, readFinalState } from './final-state.js';
import {
  checkAnswers,
  checkCohorts,
  checkHistory,
  checkNoStrandedExecution,
  checkOneJobPerWave,
  checkTerminalStatus,
  type InvariantResult,
} from './invariants.js';
import { killPlan, type PlannedKill } from './kill-schedule.js';
import { checkLog } from './log-faults.js';
import {
  failingGroup,
  failingGroupSize,
  gateDwellMs,
  releaseShapes,
  terminalStatuses,
} from './release-shapes.js';

export interface CrashRunOptions {
  readonly seed: string;
  readonly kills: number;
  readonly fleetSize: number;
  readonly timeScale: number;
  /** Kill delays are drawn in [min, max) ms after each spawn. */
  readonly killDelayMs: readonly [number, number];
  /** How long (wall) the last life may take for every release to end. */
  readonly settleTimeoutMs: number;
  /** Virtual minutes the clock is moved on after the end, before looking for open executions. */
  readonly afterEndMinutes: number;
  /** Where progress lines go (the kill points as they happen). */
  readonly log: (line: string) => void;
}

/**
 * The settings the test and the benchmark share: 400 things at 300x virtual
 * time, spawn-anchored kills 0.5–9 s after a spawn, up to two minutes for the
 * releases to end after the last restart, then two virtual hours (four times
 * the template's 30-minute in-progress timeout) before open executions count
 * as stranded.
 */
export const crashRunDefaults = {
  fleetSize: 400,
  timeScale: 300,
  killDelayMs: [500, 9000],
  settleTimeoutMs: 120_000,
  afterEndMinutes: 120,
} as const satisfies Partial<CrashRunOptions>;

/** One kill, as it happened. */
interface KillPoint {
  readonly seed: string;
  readonly life: number;
  /** The planned moment: its anchor and delay. */
  readonly when: string;
  /** Wall time from the spawn of the life to the kill. */
  readonly afterSpawnMs: number;
  /** True when the banner was not printed yet: the stack was restoring, resuming, starting. */
  readonly duringStartUp: boolean;
  /** The releases as last read before the kill. */
  readonly running: string;
}

export interface CrashRunReport {
  readonly seed: string;
  readonly killPoints: readonly KillPoint[];
  readonly results: readonly InvariantResult[];
  /** Wall time of the whole run, ms. */
  readonly wallMs: number;
}

async function createFailingCohort(awsUrl: string): Promise<void> {
  const iot = iotClient(awsUrl);
  try {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: failingGroup }));
    for (let i = 1; i <= failingGroupSize; i++) {
      const thingName = `${failingGroup}-${String(i).padStart(2, '0')}`;
      await iot.send(new CreateThingCommand({ thingName }));
      await iot.send(new AddThingToThingGroupCommand({ thingName, thingGroupName: failingGroup }));
    }
  } finally {
    iot.destroy();
  }
}

/** The setup life: the failing cohort's things and the profiles that fail them; stopped with Ctrl-C so both are in the data dir. */
async function setUp(spawn: () => StackLife): Promise<{ output: string; startUpMs: number }> {
  const life = spawn();
  try {
    if (!(await life.ready)) throw new Error(`the stack did not start:\n${life.output()}`);
    const startUpMs = Date.now() - life.spawnedAt;
    await createFailingCohort(life.awsUrl);
    const current = await crashCall(life.awsUrl, 'GET', '/_fleetwave/fleet/profiles');
    const profiles = {
      ...current.json,
      overrides: [
        ...(current.json?.overrides ?? []),
        { name: 'crash: failing cohort', match: { thingGroup: failingGroup }, outcomes: { fail: 1 } },
      ],
    };
    // Put in force once: the data dir keeps them across every kill that follows.
    const put = await crashCall(life.awsUrl, 'PUT', '/_fleetwave/fleet/profiles', profiles);
    if (put.status !== 200) throw new Error(`setting the profiles answered ${put.status}`);
    return { output: life.output(), startUpMs };
  } finally {
    await life.stop('SIGINT');
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** How long a gate-anchored kill waits for a gate to open before it falls back to killing at once. */
const gateWaitMs = 30_000;

/** The shapes whose releases stop at approval gates, in run order. */
const gatedShapes = (memory: DriverMemory) =>
  memory.shapes.filter((shape) =>
    (shape.request.waves as { requireApproval?: boolean }[]).some((w) => w.requireApproval),
  );

/** Waits for the moment `kill` names; returns what the anchor turned out to be. */
async function awaitKillMoment(
  life: StackLife,
  kill: PlannedKill,
  memory: DriverMemory,
  lastStartUpMs: number,
): Promise<string> {
  if (kill.anchor === 'start-up') {
    const delayMs = Math.round(kill.share * lastStartUpMs);
    await wait(life.spawnedAt + delayMs - Date.now());
    return `${Math.round(kill.share * 100)} % of the last start-up (${lastStartUpMs} ms)`;
  }
  if (kill.anchor === 'spawn') {
    await wait(life.spawnedAt + kill.delayMs - Date.now());
    return `${kill.delayMs} ms after spawn`;
  }
  if (!(await life.ready)) return 'the life ended before its banner';
  const gated = gatedShapes(memory);
  const releaseId = gated[kill.gateTurn % gated.length]?.releaseId ?? '';
  const status = () => memory.views.get(releaseId)?.release.status ?? '';
  const giveUp = Date.now() + gateWaitMs;
  while (status() !== 'WAITING_APPROVAL' && !terminalStatuses.has(status()) && Date.now() < giveUp)
    await wait(50);
  if (status() !== 'WAITING_APPROVAL') return `${releaseId} opened no approval gate: killed at once`;
  await wait(kill.delayMs);
  return `${kill.delayMs} ms after the approval gate of ${releaseId} was seen open`;
}

/** Runs one life until the kill it is planned to end with; returns what was running then. */
async function killedLife(
  spawn: () => StackLife,
  index: number,
  kill: PlannedKill,
  memory: DriverMemory,
  seed: string,
  startUps: number[],
): Promise<{ point: KillPoint; output: string }> {
  const life = spawn();
  void life.ready.then((ok) => ok && startUps.push(Date.now() - life.spawnedAt));
  let killing = false;
  const driving = driveLife(life, index, memory, () => killing);
  const when = await awaitKillMoment(life, kill, memory, startUps.at(-1) ?? 3000);
  killing = true;
  const point: KillPoint = {
    seed,
    life: index,
    when,
    afterSpawnMs: Date.now() - life.spawnedAt,
    duringStartUp: !life.isReady(),
    running: runningSummary(memory),
  };
  await life.stop('SIGKILL');
  await driving;
  return { point, output: life.output() };
}

/** Moves virtual time on by `minutes`, in steps the admin route answers once their timers ran. */
async function advanceClock(awsUrl: string, minutes: number): Promise<void> {
  for (let moved = 0; moved < minutes; moved += 30) {
    const answer = await crashCall(awsUrl, 'POST', '/_fleetwave/clock/advance', {
      minutes: Math.min(30, minutes - moved),
    });
    if (answer.status !== 200)
      throw new Error(`clock/advance answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  }
}

/** Runs the whole scenario for one seed and returns the kill points and every invariant's result. */
export async function runCrashScenario(options: CrashRunOptions): Promise<CrashRunReport> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwave-crash-'));
  const settings: CrashStackSettings = {
    dataDir,
    awsPort: await freePort(),
    apiPort: await freePort(),
    fleetSize: options.fleetSize,
    timeScale: options.timeScale,
  };
  const outputs: { label: string; output: string }[] = [];
  // Every life spawned, so that none outlives the run whatever throws.
  const lives: StackLife[] = [];
  const spawn = () => {
    const life = spawnStackLife(settings);
    lives.push(life);
    return life;
  };
  try {
    const setup = await setUp(spawn);
    outputs.push({ label: 'setup life', output: setup.output });
    // Start-up times of the lives so far: a start-up kill aims at a share of the last one.
    const startUps = [setup.startUpMs];
    const memory: DriverMemory = {
      shapes: releaseShapes(`c${options.seed.replace(/[^a-zA-Z0-9]/g, '').slice(0, 20)}`),
      journal: new ActionJournal(),
      views: new Map(),
      created: new Set(),
      createProblems: [],
    };
    const killPoints: KillPoint[] = [];
    const [minDelay, maxDelay] = options.killDelayMs;
    const plan = killPlan(options.seed, options.kills, minDelay, maxDelay, gateDwellMs * 0.75);
    for (const [index, kill] of plan.entries()) {
      const { point, output } = await killedLife(spawn, index, kill, memory, options.seed, startUps);
      killPoints.push(point);
      outputs.push({ label: `life ${index}`, output });
      options.log(
        `kill ${index + 1}/${options.kills} seed ${point.seed}: ${point.when} (${point.afterSpawnMs} ms after spawn), ` +
          `${point.duringStartUp ? 'DURING START-UP (before the banner)' : 'while running'}; ${point.running}`,
      );
    }

    const last = spawn();
    let settled = false;
    const allEnded = () =>
      memory.shapes.every((s) => terminalStatuses.has(memory.views.get(s.releaseId)?.release.status ?? ''));
    const giveUp = Date.now() + options.settleTimeoutMs;
    await driveLife(last, options.kills, memory, () => {
      settled = allEnded();
      return settled || Date.now() > giveUp;
    });
    const results: InvariantResult[] = [];
    if (!last.isReady()) {
      results.push({
        invariant: '0 the stack starts on its data dir',
        checked: 1,
        failures: [last.output().slice(-2000)],
      });
    } else {
      options.log(
        `last life: ${settled ? 'every release ended' : 'gave up waiting'}; ${runningSummary(memory)}`,
      );
      await advanceClock(last.awsUrl, options.afterEndMinutes);
      const states = await readFinalState(last.apiUrl, last.awsUrl, memory.shapes);
      results.push(
        checkTerminalStatus(states),
        checkOneJobPerWave(states),
        checkCohorts(states),
        checkHistory(states),
        checkAnswers(states, memory.journal.entries),
        checkNoStrandedExecution(states, options.afterEndMinutes),
      );
      if (memory.createProblems.length > 0)
        results.push({
          invariant: '0 every release created',
          checked: memory.shapes.length,
          failures: memory.createProblems,
        });
    }
    await last.stop('SIGINT');
    outputs.push({ label: 'last life', output: last.output() });
    results.push(checkLog(outputs));
    return { seed: options.seed, killPoints, results, wallMs: Date.now() - started };
  } finally {
    for (const life of lives) if (groupAlive(life.child.pid as number)) await life.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The report as lines: each kill point, then each invariant with its result and breaches. */
export function reportLines(report: CrashRunReport): string[] {
  return [
    `seed ${report.seed}: ${report.killPoints.length} kill(s), ${report.killPoints.filter((k) => k.duringStartUp).length} during start-up, ${(report.wallMs / 1000).toFixed(1)} s`,
    ...report.results.flatMap((r) => [
      `  ${r.failures.length === 0 ? 'PASS' : 'FAIL'} ${r.invariant} (${r.checked} checked)`,
      ...r.failures.map((f) => `       ${f}`),
    ]),
  ];
}

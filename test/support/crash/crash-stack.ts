/**
 * One life of `npm start` in a crash run: spawned in its own process group on
 * fixed ports and a shared data dir, so that it can be killed with SIGKILL at
 * any moment, before its banner too (while it restores and resumes), and
 * started again on the same directory and ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { groupAlive } from '../../e2e/npm-start-support.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const readyLine = 'Press Ctrl-C to stop.';

/** What every life of the stack in one run shares. */
export interface CrashStackSettings {
  readonly dataDir: string;
  readonly awsPort: number;
  readonly apiPort: number;
  readonly fleetSize: number;
  readonly timeScale: number;
}

/** A running (or dead) `npm start` process group. */
export interface StackLife {
  readonly child: ChildProcess;
  readonly apiUrl: string;
  readonly awsUrl: string;
  /** Wall time (ms since the epoch) the process was spawned. */
  readonly spawnedAt: number;
  /** Resolves true once the banner is printed, false if the process ended before. */
  readonly ready: Promise<boolean>;
  /** True once the banner was printed. */
  isReady(): boolean;
  /** Everything the process printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Sends `signal` to the whole process group and waits (bounded) until none of it is left. */
  stop(signal: 'SIGINT' | 'SIGKILL'): Promise<void>;
}

/** Spawns `npm start -- …` for one life; does not wait for it to be ready. */
export function spawnStackLife(settings: CrashStackSettings): StackLife {
  const args = [
    'start',
    '--silent',
    '--',
    '--aws-port',
    String(settings.awsPort),
    '--api-port',
    String(settings.apiPort),
    '--fleet-size',
    String(settings.fleetSize),
    '--time-scale',
    String(settings.timeScale),
    '--data-dir',
    settings.dataDir,
  ];
  const child = spawn('npm', args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  const spawnedAt = Date.now();
  let output = '';
  let ready = false;
  let announce: (value: boolean) => void = () => {};
  const readyPromise = new Promise<boolean>((resolve) => {
    announce = resolve;
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (!ready && output.includes(readyLine)) {
      ready = true;
      announce(true);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      announce(false);
      resolve();
    });
  });
  const pgid = child.pid as number;
  return {
    child,
    apiUrl: `http://127.0.0.1:${settings.apiPort}`,
    awsUrl: `http://127.0.0.1:${settings.awsPort}`,
    spawnedAt,
    ready: readyPromise,
    isReady: () => ready,
    output: () => output,
    stop: async (signal) => {
      if (groupAlive(pgid)) process.kill(-pgid, signal);
      await exited;
      // npm exits once its child did; the rest of the group (tsx, node) may take a moment longer.
      const giveUp = Date.now() + 10_000;
      while (groupAlive(pgid) && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 20));
    },
  };
}

/**
 * `npm start` (or `fleetwave local`) as a person runs it: a child process in its own process
 * group (as a terminal's foreground job), on free ports, stopped with
 * SIGINT to the whole group (what Ctrl-C sends) or SIGKILL (a crash). The
 * CLI and the AWS CLI run as child processes too.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fleetwaveBin = fileURLToPath(new URL('../../cli/bin/fleetwave.mjs', import.meta.url));

/** A port nothing listens on right now: listen(0), read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when the port can be bound again (nothing left listening). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** True while any process of the group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface StartedStack {
  readonly child: ChildProcess;
  readonly apiUrl: string;
  readonly awsUrl: string;
  readonly awsPort: number;
  readonly apiPort: number;
  /** The broker's plain TCP port. */
  readonly mqttPort: number;
  /** The broker's mutual TLS port. */
  readonly mqttsPort: number;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends `signal` to the whole process group; resolves the exit code (or signal name). */
  stop(signal: 'SIGINT' | 'SIGKILL'): Promise<number | string>;
}

/** Runs `npm start -- <args>` on free ports (with `env` added); resolves once the banner says it is ready. */
export function startNpmStack(
  args: readonly string[],
  ports?: { aws: number; api: number },
  env: Record<string, string> = {},
) {
  return startStack('npm start', 'npm', ['start', '--silent', '--'], args, ports, env);
}

/** Runs `fleetwave local <args>` (package.json `bin`) on free ports; resolves once it is ready. */
export function startFleetwaveLocal(args: readonly string[]) {
  return startStack('fleetwave local', process.execPath, [fleetwaveBin, 'local'], args);
}

async function startStack(
  name: string,
  file: string,
  command: readonly string[],
  args: readonly string[],
  ports?: { aws: number; api: number },
  env: Record<string, string> = {},
) {
  const awsPort = ports?.aws ?? (await freePort());
  const apiPort = ports?.api ?? (await freePort());
  // The broker too, on free ports: `npm start`'s own (1883, 8883) may be taken.
  const mqttPort = await freePort();
  const mqttsPort = await freePort();
  const mqttPorts = ['--mqtt-port', String(mqttPort), '--mqtts-port', String(mqttsPort)];
  const child = spawn(
    file,
    [...command, '--aws-port', String(awsPort), '--api-port', String(apiPort), ...mqttPorts, ...args],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true', ...env },
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes('Press Ctrl-C to stop.')) resolve();
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`)));
  });
  await ready;
  const pgid = child.pid as number;
  const stack: StartedStack = {
    child,
    awsPort,
    apiPort,
    mqttPort,
    mqttsPort,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    awsUrl: `http://127.0.0.1:${awsPort}`,
    output: () => output,
    stop: async (signal) => {
      if (groupAlive(pgid)) process.kill(-pgid, signal);
      const code = await exited;
      // npm exits once its child did; wait (bounded) for the rest of the group too.
      const giveUp = Date.now() + 10_000;
      while (groupAlive(pgid) && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 50));
      return code;
    },
  };
  return stack;
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (bounded by `timeoutMs`). */
export function runProcess(
  file: string,
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { cwd: root, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `fleetwave <args>` as a child process against `apiUrl`. */
export function fleetwave(apiUrl: string, args: readonly string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, [fleetwaveBin, ...args], { FLEETWAVE_API_URL: apiUrl });
}

/** The release view `GET /releases/{id}` answers. */
export async function getRelease(
  apiUrl: string,
  releaseId: string,
): Promise<{
  release: { status: string; currentWave?: number };
  waves: { status: string; jobId?: string }[];
}> {
  const response = await fetch(`${apiUrl}/releases/${releaseId}`);
  return (await response.json()) as Awaited<ReturnType<typeof getRelease>>;
}

/** `POST /releases` of the demo template to the whole demo fleet, with `waves`; the HTTP status. */
export async function postDemoRelease(
  apiUrl: string,
  releaseId: string,
  waves: readonly object[],
): Promise<number> {
  const response = await fetch(`${apiUrl}/releases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      releaseId,
      jobTemplateId: 'demo-ota',
      targets: { thingGroups: ['fleet'] },
      waves,
    }),
  });
  await response.body?.cancel();
  return response.status;
}

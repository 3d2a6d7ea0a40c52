/** `fleetwave releases create`: POST /releases from a file and/or flags, optionally watching it. */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { ApiAnswer } from '../api/client.js';
import { sendWithRetries } from '../api/retries.js';
import type { OptionSpec } from '../args/spec.js';
import { ApiError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { readRequestBody } from '../request/input-file.js';
import { buildReleaseRequest } from '../request/release-request.js';
import type { Command, CommandContext } from './command.js';
import { readWatchSettings, watchOptions, watchRelease } from './release-watch.js';

const createdSchema = z.looseObject({
  releaseId: z.string().optional(),
  status: z.string().optional(),
  release: z.looseObject({ releaseId: z.string(), status: z.string().optional() }).optional(),
});

/** The release id and status of the answer (its body, or failing that its `Location`). */
function createdRelease(answer: ApiAnswer): { releaseId: string | undefined; status: string | undefined } {
  const parsed = createdSchema.safeParse(answer.body);
  const body = parsed.success ? parsed.data : {};
  const location = answer.headers.get('location') ?? undefined;
  const fromLocation = location
    ? decodeURIComponent(location.split('/').filter(Boolean).pop() ?? '')
    : undefined;
  return {
    releaseId: body.release?.releaseId ?? body.releaseId ?? fromLocation,
    status: body.release?.status ?? body.status,
  };
}

/** `--release-id`: the id of a new release. */
export const releaseIdOption: OptionSpec = {
  name: 'release-id',
  type: 'string',
  valueName: 'ID',
  description: 'the release id, 1-56 of [a-zA-Z0-9_-]',
};

/** The options of every command that makes a release: its id or retry key, a dry run, watching it. */
/** `--idempotency-key`: without a release id, the key names the release. */
export const idempotencyKeyOption: OptionSpec = {
  name: 'idempotency-key',
  type: 'string',
  valueName: 'KEY',
  description: 'retry key; the same key gives the same release',
};

export const newReleaseOptions: readonly OptionSpec[] = [
  releaseIdOption,
  idempotencyKeyOption,
  { name: 'dry-run', type: 'boolean', description: 'print the request body and send nothing' },
  { name: 'watch', type: 'boolean', description: 'then watch the release (exit code as releases watch)' },
  ...watchOptions,
];

/** What {@link postRelease} sends, and how it names what it made. */
interface ReleasePost {
  path: string;
  body: Record<string, unknown>;
  /** The `Idempotency-Key`, which makes the retries of this command safe. */
  key: string | undefined;
  watchSettings: ReturnType<typeof readWatchSettings>;
  /** `created`, `created (retry of rel-1)`... */
  made: string;
}

/**
 * POSTs a new release (retrying what may be retried), prints what was made
 * (or the answer as JSON), and watches it with `--watch`.
 */
export async function postRelease(
  { args, io, api, out }: CommandContext,
  { path, body, key, watchSettings, made }: ReleasePost,
): Promise<number> {
  const client = api();
  const answer = await sendWithRetries(
    client,
    { method: 'POST', path, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) },
    io,
  );
  const { releaseId, status } = createdRelease(answer);
  const watch = args.flag('watch');
  if (out.json) {
    if (watch) out.jsonLine(answer.body ?? { releaseId });
    else out.result(answer.body ?? { releaseId }, () => []);
  } else {
    const repeat = answer.status === 200 ? ' (it already existed with this request)' : '';
    out.lines([`Release ${releaseId ?? '?'} ${made}${status ? ` (${status})` : ''}${repeat}`]);
    if (!watch && releaseId) out.note(`Follow it with: fleetwave releases watch ${releaseId}`);
  }
  if (!watch) return ExitCode.OK;
  if (!releaseId)
    throw new ApiError(answer.status, undefined, 'the API created a release but did not say its id');
  return watchRelease(client, releaseId, watchSettings, io, out);
}

/** The options that build a release request (`buildReleaseRequest`): a file, and flags that win over it. */
export const releaseBodyOptions: readonly OptionSpec[] = [
  {
    name: 'file',
    short: 'f',
    type: 'string',
    valueName: 'FILE',
    description: 'the release request, JSON or YAML (- for stdin)',
  },
  { name: 'template', type: 'string', valueName: 'ID', description: 'the job template each wave runs' },
  {
    name: 'targets',
    type: 'string',
    valueName: 'GROUPS',
    description: 'the fleet: thing groups, comma-separated',
  },
  {
    name: 'things',
    type: 'string',
    valueName: 'THINGS',
    description: 'the fleet: things, comma-separated',
  },
  {
    name: 'waves',
    type: 'string',
    valueName: 'PERCENTS',
    description: 'cumulative share of the fleet per wave, ending at 100: 1,10,50,100',
  },
  {
    name: 'failure-threshold',
    type: 'string',
    valueName: 'PERCENT',
    description: 'stop when this share of a wave failed (default 10; 0 = first failure)',
  },
  {
    name: 'success-threshold',
    type: 'string',
    valueName: 'PERCENT',
    description: 'a wave succeeds when this share succeeded (default 90)',
  },
  {
    name: 'bake-minutes',
    type: 'string',
    valueName: 'MINUTES',
    description: 'watch each finished wave this long before the next (default 0)',
  },
  {
    name: 'approval',
    type: 'string',
    valueName: 'WAVES',
    description: 'waves a person must approve after: 1,3 | last | all | none',
  },
  { name: 'description', type: 'string', valueName: 'TEXT', description: 'what the release is for' },
];

export const createCommand: Command = {
  path: ['releases', 'create'],
  summary: 'start a release of a job template to a fleet, in waves',
  description: [
    'Takes the release from -f FILE (JSON or YAML, every field of the release request), from the flags, or both: flags win over the file. Policy flags take one value for every wave, or a comma-separated list with one value per wave.',
    'Without --release-id the API derives the id from the idempotency key: --idempotency-key, or a random one that makes the retries of this command safe. Creating the same release again (same id, same request) changes nothing.',
  ],
  options: [...releaseBodyOptions, ...newReleaseOptions],
  examples: [
    {
      command:
        'fleetwave releases create --template fw-2-4 --targets door-controllers --waves 1,10,50,100 --approval 1 --watch',
      comment: 'four waves over a thing group; a person approves after the canary; watch it',
    },
    {
      command: 'fleetwave releases create -f release.yaml --release-id fw-2-4-$(date +%Y%m%d)',
      comment: 'every setting from a file, with a dated id',
    },
    {
      command:
        'fleetwave releases create --template fw-2-4 --things lab-1,lab-2 --waves 100 --bake-minutes 30 --json',
      comment: 'two lab devices, then 30 minutes of bake; the answer as JSON',
    },
  ],
  async run(context) {
    const { args, io } = context;
    const file = args.string('file');
    const body = buildReleaseRequest(file === undefined ? undefined : await readRequestBody(file, io), args);
    const watchSettings = readWatchSettings(args);
    if (args.flag('dry-run')) {
      io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      return ExitCode.OK;
    }
    const key = args.string('idempotency-key') ?? (body.releaseId === undefined ? randomUUID() : undefined);
    return postRelease(context, { path: '/releases', body, key, watchSettings, made: 'created' });
  },
};

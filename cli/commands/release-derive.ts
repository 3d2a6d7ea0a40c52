/**
 * `fleetwave releases retry|rollback`: POST /releases/{id}/retry or
 * /rollback, a new release over the failed (retry) or updated (rollback)
 * things of an ended release, optionally watching it.
 */
import { pathOf } from '../api/client.js';
import type { OptionSpec } from '../args/spec.js';
import { ExitCode } from '../exit-codes.js';
import { readRequestBody } from '../request/input-file.js';
import { percentageWaves } from '../request/release-request.js';
import type { Command, CommandContext } from './command.js';
import { newReleaseOptions, postRelease } from './release-create.js';
import { readWatchSettings } from './release-watch.js';

type Kind = 'retry' | 'rollback';

/** The body from `-f FILE` (JSON or YAML), then the flags, which win. */
async function deriveBody({ args, io }: CommandContext): Promise<Record<string, unknown>> {
  const file = args.string('file');
  const body: Record<string, unknown> = file === undefined ? {} : await readRequestBody(file, io);
  const template = args.string('job-template-id');
  const releaseId = args.string('release-id');
  const waves = args.string('waves');
  if (template !== undefined) body.jobTemplateId = template;
  if (releaseId !== undefined) body.releaseId = releaseId;
  if (waves !== undefined) body.waves = percentageWaves(waves);
  return body;
}

/** What the new release is, in the line that reports it. */
const madeOf: Readonly<Record<Kind, (originalId: string) => string>> = {
  retry: (id) => `created (retry of the failed things of ${id})`,
  rollback: (id) => `created (rollback of the things ${id} updated)`,
};

async function runDerive(context: CommandContext, kind: Kind): Promise<number> {
  const originalId = context.positionals[0] as string;
  const body = await deriveBody(context);
  const watchSettings = readWatchSettings(context.args);
  if (context.args.flag('dry-run')) {
    context.io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return ExitCode.OK;
  }
  // Without an id or key of its own, the API names it `<id>-retry` / `<id>-rollback`: this command's retries name one release.
  const key = context.args.string('idempotency-key');
  return postRelease(context, {
    path: pathOf('releases', originalId, kind),
    body,
    key,
    watchSettings,
    made: madeOf[kind](originalId),
  });
}

const sharedOptions: readonly OptionSpec[] = [
  {
    name: 'waves',
    type: 'string',
    valueName: 'PERCENTS',
    description: 'cumulative share of the things per wave, ending at 100: 10,100 (default: one wave)',
  },
  {
    name: 'file',
    short: 'f',
    type: 'string',
    valueName: 'FILE',
    description: 'the body, JSON or YAML (- for stdin): waves with their policies; flags win',
  },
  ...newReleaseOptions,
];

const positionals = [{ name: 'RELEASE_ID', description: 'the ended release' }];

export const retryCommand: Command = {
  path: ['releases', 'retry'],
  summary:
    'start a new release over the things whose jobs failed, timed out or were rejected in an ended one',
  description: [
    'The new release takes the original job template (or --job-template-id) and one wave unless --waves is given; its history and the original one point at each other.',
  ],
  positionals,
  options: [
    {
      name: 'job-template-id',
      type: 'string',
      valueName: 'ID',
      description: "the job template (default: the original release's)",
    },
    ...sharedOptions,
  ],
  examples: [
    { command: 'fleetwave releases retry rel-42', comment: 'the failed things of rel-42, in one wave' },
    {
      command: 'fleetwave releases retry rel-42 --waves 10,100 --watch',
      comment: 'a canary first; watch it',
    },
  ],
  run: (context) => runDerive(context, 'retry'),
};

export const rollbackCommand: Command = {
  path: ['releases', 'rollback'],
  summary: 'start a new release that puts the previous version back on the things an ended release updated',
  description: [
    'The new release runs --job-template-id (the template that restores the previous version) on the things whose jobs succeeded in the original, in one wave unless --waves is given.',
  ],
  positionals,
  options: [
    {
      name: 'job-template-id',
      type: 'string',
      valueName: 'ID',
      description: 'the job template that puts the previous version back (required)',
    },
    ...sharedOptions,
  ],
  examples: [
    {
      command: 'fleetwave releases rollback rel-42 --job-template-id fw-2-3',
      comment: 'put 2.3 back on what rel-42 updated',
    },
  ],
  run: (context) => runDerive(context, 'rollback'),
};

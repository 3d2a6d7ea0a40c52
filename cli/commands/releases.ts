/** `fleetwave releases plan|list|get|history|cancel|approve|reject|pause|resume|retry|rollback`. */
import { releaseStatuses as domainReleaseStatuses } from '../../lib/domain/statuses.js';
import { pathOf } from '../api/client.js';
import { historyEventSchema, readReleaseView, releaseSummarySchema } from '../api/release-answers.js';
import { sendWithRetries } from '../api/retries.js';
import { ApiError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { releaseFrame } from '../output/progress-bars.js';
import { historyTable, releaseTable } from '../output/release-lines.js';
import type { Command, CommandContext } from './command.js';
import { fetchPages, paginationOptions, printPage } from './pagination-options.js';
import { createCommand } from './release-create.js';
import { retryCommand, rollbackCommand } from './release-derive.js';
import { planCommand } from './release-plan.js';
import { watchCommand } from './release-watch.js';

/** The API's page ranges (GET /releases, GET /releases/{id}/history). */
const maxReleasePage = 100;
const maxHistoryPage = 500;
const releaseStatuses: readonly string[] = domainReleaseStatuses;

const releaseIdPositional = [{ name: 'RELEASE_ID', description: 'the release' }];

const list: Command = {
  path: ['releases', 'list'],
  summary: 'list releases, newest first',
  options: [
    {
      name: 'status',
      type: 'string',
      valueName: 'STATUS',
      description: `only releases in this status: ${releaseStatuses.join(', ')}`,
    },
    ...paginationOptions(maxReleasePage, 'releases'),
  ],
  examples: [
    { command: 'fleetwave releases list', comment: 'the latest releases' },
    {
      command: 'fleetwave releases list --status WAITING_APPROVAL',
      comment: 'releases waiting for a person',
    },
  ],
  async run(context) {
    const rawStatus = context.args.string('status');
    const status = rawStatus?.toUpperCase();
    if (status !== undefined && !releaseStatuses.includes(status))
      throw new UsageError(`--status must be one of ${releaseStatuses.join(', ')} (got '${rawStatus}')`);
    const page = await fetchPages(context, {
      path: '/releases',
      query: { status },
      item: releaseSummarySchema,
      maxLimit: maxReleasePage,
      what: 'listing releases',
    });
    printPage(
      context,
      page,
      () => (page.items.length === 0 ? ['No releases.'] : releaseTable(page.items)),
      `fleetwave releases list${status ? ` --status ${status}` : ''}`,
    );
    return ExitCode.OK;
  },
};

const get: Command = {
  path: ['releases', 'get'],
  summary: 'show a release and the progress of each wave',
  positionals: releaseIdPositional,
  options: [],
  examples: [{ command: 'fleetwave releases get rel-42', comment: 'status, waves and counts' }],
  async run({ positionals, io, api, out }) {
    const answer = await api().send({ method: 'GET', path: pathOf('releases', positionals[0] as string) });
    const view = readReleaseView(answer);
    const width = io.stdout.isTTY && io.stdout.columns ? io.stdout.columns - 1 : undefined;
    out.result(answer.body, () => releaseFrame(view, { paint: out.paint, ...(width ? { width } : {}) }));
    return ExitCode.OK;
  },
};

const history: Command = {
  path: ['releases', 'history'],
  summary: 'show what happened to a release, oldest first',
  positionals: releaseIdPositional,
  options: paginationOptions(maxHistoryPage, 'events'),
  examples: [
    { command: 'fleetwave releases history rel-42 --all', comment: 'the whole history' },
    { command: 'fleetwave releases history rel-42 --json --all | jq .items', comment: 'as JSON' },
  ],
  async run(context) {
    const releaseId = context.positionals[0] as string;
    const page = await fetchPages(context, {
      path: pathOf('releases', releaseId, 'history'),
      item: historyEventSchema,
      maxLimit: maxHistoryPage,
      what: 'reading the history',
    });
    printPage(context, page, () => historyTable(page.items), `fleetwave releases history ${releaseId}`);
    return ExitCode.OK;
  },
};

/** POSTs an action on a release with an optional body; prints the release as it now stands. */
async function releaseAction(
  { positionals, io, api, out }: CommandContext,
  action: 'cancel' | 'approve' | 'reject' | 'pause' | 'resume',
  body: Record<string, unknown>,
  done: string,
): Promise<number> {
  const releaseId = positionals[0] as string;
  const client = api();
  const request = { method: 'POST', path: pathOf('releases', releaseId, action), body } as const;
  // A cancel is safe to send again: when a retry is refused (409), the release
  // being CANCELED shows the earlier attempt got through; a pause sent again
  // is answered unchanged. An approval or a resume is not retried: a 409
  // could not tell whose answer won.
  const answer =
    action === 'pause'
      ? await sendWithRetries(client, request, io)
      : action === 'cancel'
        ? await sendWithRetries(client, request, io, {
            afterRetryFailed: async (error) => {
              if (!(error instanceof ApiError) || error.status !== 409) return undefined;
              const now = await client.send({ method: 'GET', path: pathOf('releases', releaseId) });
              return readReleaseView(now).status === 'CANCELED' ? now : undefined;
            },
          })
        : await client.send(request);
  const view = readReleaseView(answer);
  // A pause asked for takes hold at the next wave boundary (or, halted, once the running devices
  // finish): say so while the release still runs.
  const pending =
    view.pause && !view.pause.held
      ? view.pause.halted
        ? "; its running wave is halted, and it is held once that wave's running devices finish"
        : '; it is held at its next wave boundary'
      : '';
  out.result(answer.body, () => [
    `${done} release ${releaseId}: now ${view.status}${view.statusReason ? ` (${view.statusReason})` : ''}${pending}`,
  ]);
  return ExitCode.OK;
}

const commentOption = {
  name: 'comment',
  type: 'string',
  valueName: 'TEXT',
  description: 'why; kept in the release history',
} as const;

function commentBody(context: CommandContext): Record<string, unknown> {
  const comment = context.args.string('comment');
  return comment === undefined ? {} : { comment };
}

const cancel: Command = {
  path: ['releases', 'cancel'],
  summary: "stop a release: cancel its current wave's job and start no more waves",
  positionals: releaseIdPositional,
  options: [
    {
      name: 'force',
      type: 'boolean',
      description: 'also cancel executions already IN_PROGRESS on devices (not only QUEUED ones)',
    },
    commentOption,
  ],
  examples: [
    {
      command: "fleetwave releases cancel rel-42 --comment 'battery drain on 2.4'",
      comment: 'stop a release',
    },
    { command: 'fleetwave releases cancel rel-42 --force', comment: 'and cancel what devices are running' },
  ],
  run: (context) =>
    releaseAction(
      context,
      'cancel',
      { ...commentBody(context), ...(context.args.flag('force') ? { force: true } : {}) },
      'Canceled',
    ),
};

const approve: Command = {
  path: ['releases', 'approve'],
  summary: 'approve the wave a release waits on, so the release goes on',
  positionals: releaseIdPositional,
  options: [commentOption],
  examples: [
    { command: "fleetwave releases approve rel-42 --comment 'canary looks good'", comment: 'go on' },
  ],
  run: (context) => releaseAction(context, 'approve', commentBody(context), 'Approved'),
};

const reject: Command = {
  path: ['releases', 'reject'],
  summary: 'reject the wave a release waits on, which stops the release',
  positionals: releaseIdPositional,
  options: [commentOption],
  examples: [
    { command: "fleetwave releases reject rel-42 --comment 'boot loop on rev B'", comment: 'stop here' },
  ],
  run: (context) => releaseAction(context, 'reject', commentBody(context), 'Rejected'),
};

const pause: Command = {
  path: ['releases', 'pause'],
  summary: 'hold a release at its next wave boundary: the running wave finishes, no next job starts',
  positionals: releaseIdPositional,
  options: [
    {
      name: 'halt-rollout',
      type: 'boolean',
      description:
        'also stop the running wave now: devices not yet notified are not (running ones finish); on resume the wave goes on with the rest',
    },
    commentOption,
  ],
  examples: [
    {
      command: "fleetwave releases pause rel-42 --comment 'support calls from the canaries'",
      comment: 'hold it after the running wave',
    },
    {
      command: "fleetwave releases pause rel-42 --halt-rollout --comment 'boot loop on rev B'",
      comment: 'stop the running wave now',
    },
  ],
  run: (context) =>
    releaseAction(
      context,
      'pause',
      { ...commentBody(context), ...(context.args.flag('halt-rollout') ? { haltRollout: true } : {}) },
      'Paused',
    ),
};

const resume: Command = {
  path: ['releases', 'resume'],
  summary: 'let a paused release go on from where it was held',
  positionals: releaseIdPositional,
  options: [commentOption],
  examples: [{ command: "fleetwave releases resume rel-42 --comment 'false alarm'", comment: 'go on' }],
  run: (context) => releaseAction(context, 'resume', commentBody(context), 'Resumed'),
};

export const releaseCommands: readonly Command[] = [
  createCommand,
  planCommand,
  list,
  get,
  history,
  watchCommand,
  cancel,
  approve,
  reject,
  pause,
  resume,
  retryCommand,
  rollbackCommand,
];

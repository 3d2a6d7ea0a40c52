/** `fleetwave releases plan`: POST /releases?dryRun=true, the plan as a table or as JSON. */
import { readPlan } from '../api/plan-answers.js';
import { sendWithRetries } from '../api/retries.js';
import { ExitCode } from '../exit-codes.js';
import { planLines } from '../output/plan-lines.js';
import { readRequestBody } from '../request/input-file.js';
import { buildReleaseRequest } from '../request/release-request.js';
import type { Command } from './command.js';
import { idempotencyKeyOption, releaseBodyOptions, releaseIdOption } from './release-create.js';

export const planCommand: Command = {
  path: ['releases', 'plan'],
  summary: 'show what a release would do, creating nothing',
  description: [
    'Sends the release `releases create` would send (-f FILE and the same flags) as a dry run: the API runs every check a real request runs and answers the plan. Nothing is stored, started or created.',
    "The plan: each wave's exact number of things (the same cohort rule as the release), the CreateJob it would send, when it starts and ends; the estimated duration as a range (approval gates not counted), the IoT calls per API, the Step Functions state transitions and their cost; and warnings.",
    'Cohorts follow the release id: give --release-id (or releaseId in the file), or the --idempotency-key the real request will send, to see the cohorts that release will have. A release already made by that request is planned with a RELEASE_EXISTS warning; one made by another request is a conflict, as for the real request.',
  ],
  options: [...releaseBodyOptions, releaseIdOption, idempotencyKeyOption],
  examples: [
    { command: 'fleetwave releases plan -f release.json', comment: 'the plan as a table' },
    {
      command: 'fleetwave releases plan -f release.json --json | jq .estimate',
      comment: 'the estimate, as JSON',
    },
  ],
  async run({ args, io, api, out }) {
    const file = args.string('file');
    const body = buildReleaseRequest(file === undefined ? undefined : await readRequestBody(file, io), args);
    const key = args.string('idempotency-key');
    // A plan changes nothing: retrying it is always safe.
    const answer = await sendWithRetries(
      api(),
      {
        method: 'POST',
        path: '/releases',
        query: { dryRun: 'true' },
        body,
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      },
      io,
    );
    const plan = readPlan(answer);
    out.result(answer.body, () => planLines(plan));
    return ExitCode.OK;
  },
};

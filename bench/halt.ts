/**
 * Benchmark: what a pause with `haltRollout` costs the workflow. A release
 * of one percentage wave over a 500-thing fleet (100 notifications a
 * minute, devices take about a minute) runs on the local stack twice: as
 * is, and halted mid-wave, held, and resumed with a follow-up job over the
 * things that never started. For each it prints the state transitions
 * (what AWS bills a STANDARD workflow for), the IoT jobs the wave took, and
 * for the halted run how many things the follow-up job took over.
 *
 *   npx tsx bench/halt.ts      (or `npm run bench -- halt`)
 */
import { IotJobs } from '../lib/adapters/iot-jobs.js';
import { SfnReleaseExecutions } from '../lib/adapters/release-executions.js';
import { followUpJobId } from '../lib/domain/wave-halt.js';
import { waveJobId } from '../lib/domain/wave-job.js';
import { pauseRelease, resumeRelease } from '../lib/releases/pause-release.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { fixedProfile } from '../test/support/fleet.js';
import { stepUntilMidWave } from '../test/support/halt.js';
import { startTestStack } from '../test/support/local-stack.js';
import { historyOf } from '../test/support/stepfunctions.js';
import {
  clientsFor,
  createTemplate,
  jobIds,
  runUntilClosed,
  runUntilRead,
  runUntilReleaseStatus,
  startRelease,
  WORKFLOW_T0,
} from '../test/support/workflow.js';
import { reportResult } from './support/bench-result.js';

const FLEET = 500;

const stack = await startTestStack({
  logLevel: 'ERROR',
  fleet: { size: FLEET, canaryShare: 0 },
  profiles: fixedProfile({ startSeconds: 5, runSeconds: 60 }),
  clock: new VirtualClock({ start: WORKFLOW_T0, mode: { kind: 'manual' } }),
});
const clients = clientsFor(stack);
try {
  await createTemplate(clients, 'fw-2-0');
  const jobs = new IotJobs(clients.iot, { throttleRetryAfterSeconds: 1 });
  const executions = new SfnReleaseExecutions(clients.sfn, {
    stateMachineArn: stack.stateMachineArn,
    throttleRetryAfterSeconds: 1,
  });
  const deps = { store: clients.repository, executions, jobs };
  const meta = { now: () => stack.clock.now() };
  const figures: { name: string; value: number; unit: string }[] = [];
  for (const halted of [false, true]) {
    const releaseId = halted ? 'bench-halted' : 'bench-plain';
    const { executionArn } = await startRelease(stack, clients, {
      releaseId,
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: [{ percentage: 100, jobExecutionsRolloutConfig: { maximumPerMinute: 100 } }],
    });
    await runUntilRead(
      stack,
      () => clients.repository.getWave(releaseId, 1),
      (wave) => wave.status === 'IN_PROGRESS',
      'wave 1 to run',
    );
    await stepUntilMidWave(stack, clients.iot, waveJobId(releaseId, 1));
    if (halted) {
      await pauseRelease(deps, { releaseId, haltRollout: true }, meta);
      await runUntilReleaseStatus(stack, clients, releaseId, 'PAUSED');
      await resumeRelease(deps, { releaseId }, meta);
    }
    const closed = await runUntilClosed(stack, clients, executionArn);
    const transitions = (await historyOf(clients.sfn, executionArn)).filter((e) =>
      e.type?.endsWith('StateEntered'),
    ).length;
    const waveJobs = (await jobIds(clients)).filter((id) => id.startsWith(`${releaseId}-`)).length;
    const label = halted ? 'halted, held and resumed' : 'not halted';
    console.log(`${label}: ${closed.status}, ${transitions} transitions, ${waveJobs} IoT jobs`);
    figures.push({ name: `transitions, ${label}`, value: transitions, unit: 'transitions' });
    if (halted) {
      const rest = await jobs.listExecutions(followUpJobId(releaseId, 1, 1));
      console.log(`the follow-up job took over ${rest.length} of ${FLEET} things`);
      figures.push({ name: 'things in the follow-up job', value: rest.length, unit: 'things' });
    }
  }
  reportResult({
    benchmark: 'halt',
    description: `one 100 % wave of ${FLEET} things at 100 notifications a minute, halted mid-wave and resumed`,
    figures,
  });
} finally {
  clients.destroy();
  await stack.close();
}

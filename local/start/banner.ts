/**
 * What `npm start` prints once the stack is up: where everything is, what
 * the fleet looks like, what a data directory brought back, and three
 * commands to try next.
 */
import type { ResumePoint } from '../../lib/domain/resume-point.js';
import type { ReconciledRelease } from '../resume/reconcile.js';
import { badCohortGroup, demoTemplateId } from './demo-fleet.js';
import type { SeededStack } from './seeded-stack.js';

function groupLine(kind: string, groups: SeededStack['fleet']['groups']): string {
  const of = groups.filter((g) => g.kind === kind);
  return of.map((g) => `${g.thingGroupName} (${g.size})`).join(', ');
}

function resumeLines(launched: SeededStack, dataDir: string): string[] {
  const lines = [`  data dir      ${dataDir} (DynamoDB and the IoT state kept across restarts)`];
  if (launched.restored) {
    const { templates, jobs, things, thingGroups, profiles } = launched.restored;
    lines.push(
      `  restored      ${templates} job templates, ${jobs} IoT jobs, ${things} things and ${thingGroups} thing groups added through the API${profiles ? ', the behaviour profiles' : ''}`,
    );
  }
  if (launched.fleetFromDataDir) {
    const { size, seed } = launched.fleetFromDataDir;
    lines.push(
      `  note          the data dir was seeded with --fleet-size ${size} --seed ${seed}; kept that fleet`,
    );
  }
  if (launched.historyEventsRepaired > 0) {
    lines.push(
      `  history       ${launched.historyEventsRepaired} events the stop had left out written again from the records`,
    );
  }
  for (const r of launched.releases)
    lines.push(`  release       ${r.releaseId} (${r.status}) ${reconciledWhat(r)}`);
  return lines;
}

/** What the banner says the restart did with one unfinished release. */
export function reconciledWhat(r: ReconciledRelease): string {
  switch (r.outcome) {
    case 'resumed':
      if (r.status === 'SCHEDULED') return 'resumed: waits for its start time again';
      return `resumed: ${r.resumesAt ? resumedWhere(r.resumesAt) : 'from where it stood'}`;
    case 'running':
      return 'still running';
    case 'cleanup':
      return "canceled before the stop: its running wave's job is canceled now";
    case 'not-resumed':
      return `not resumed: ${r.reason ?? ''}`;
  }
}

/** What a resumed release does next, as StartRelease sends it on. */
export function resumedWhere(point: ResumePoint): string {
  switch (point.step) {
    case 'gather':
      return 'gathers its target set into its thing group again, then starts wave 1';
    case 'hold':
      return 'stays paused, held again until it is resumed';
    case 'approval':
      return `waits again for approval after wave ${point.waveNumber}`;
    case 'bake':
      return `wave ${point.waveNumber} bakes for the rest of its bake time, then is checked`;
    case 'wave':
      return point.started
        ? `wave ${point.waveNumber} goes on with its job`
        : `starts wave ${point.waveNumber}`;
    case 'finish':
      return 'every wave succeeded; the release finishes';
  }
}

/** The banner of a launched stack. */
export function localBanner(
  launched: SeededStack,
  settings: { factor: number; dataDir: string | undefined },
): string {
  const { stack, fleet } = launched;
  const root = fleet.groups.find((g) => g.kind === 'root');
  const cohort = fleet.groups.find((g) => g.thingGroupName === badCohortGroup);
  const lines = [
    'fleetwave local stack ready',
    `  REST API      ${stack.apiUrl}`,
    `  dashboard     ${stack.apiUrl}/   every release and its waves, in a browser (docs/dashboard.md)`,
    `  AWS endpoint  ${stack.awsUrl}   IoT, IoT jobs data plane, Step Functions, DynamoDB, EventBridge, SNS`,
    `                (AWS_ENDPOINT_URL=${stack.awsUrl}, any credentials, region ${stack.region})`,
    `  MQTT          ${stack.mqtt.url ? `${stack.mqtt.url}   plain, no identity` : 'off'}`,
    `  MQTTS         ${stack.mqtt.tlsUrl ? `${stack.mqtt.tlsUrl}   mutual TLS, its CA at ${stack.awsUrl}/_fleetwave/ca.pem (docs/devices.md)` : 'off'}`,
    `  fleet         ${fleet.size} things in group ${root?.thingGroupName ?? 'fleet'} (seed ${fleet.seed})`,
    `    regions     ${groupLine('region', fleet.groups)}`,
    `    hardware    ${groupLine('hardware', fleet.groups)}`,
    `    misbehaving ${cohort ? `${cohort.thingGroupName} (${cohort.size})` : 'none'}`,
    `  job template ${demoTemplateId}${launched.templateCreated ? '' : ' (kept from the data dir)'}`,
    `  virtual time  ${settings.factor === 0 ? 'manual' : `${settings.factor}x wall time`}`,
    ...(settings.dataDir === undefined ? [] : resumeLines(launched, settings.dataDir)),
    '',
    'Try next (in another terminal):',
    '  npx fleetwave releases create -f demo/demo-release.json --watch   # 1 %, 10 %, 50 %, 100 %',
    `  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url ${stack.awsUrl} --region ${stack.region} iot list-job-templates`,
    '  npm run demo',
    `  npx fleetwave events tail --endpoint-url ${stack.awsUrl}   # the EventBridge events and SNS messages, as they come`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  return lines.join('\n');
}

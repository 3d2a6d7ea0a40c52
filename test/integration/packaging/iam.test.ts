/**
 * Packages the service offline (`serverless package`, as `npm run package`
 * does) into a temporary directory and checks the CloudFormation template:
 * every function has its own role granting exactly the IoT actions it calls,
 * on resources of its own account and region, and no wildcard action.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetedIotApis, budgetKeyPrefix } from '../../../lib/adapters/iot-call-budget.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** The IoT actions each function calls, and the IoT resource types it may touch ('*' where IAM has none). */
const expected: Record<string, { actions: string[]; resources: string[] }> = {
  createJobTemplate: { actions: ['iot:CreateJobTemplate'], resources: ['jobtemplate/*', 'job/*'] },
  getJobTemplate: { actions: ['iot:DescribeJobTemplate'], resources: ['jobtemplate/*'] },
  listJobTemplates: { actions: ['iot:ListJobTemplates'], resources: ['*'] },
  deleteJobTemplate: { actions: ['iot:DeleteJobTemplate'], resources: ['jobtemplate/*'] },
};

const ACCOUNT = 'arn:aws:iot:eu-west-1:111122223333';
const TABLE = '<FleetwaveTable.Arn>';
/** The IoT call budget's write: every function calling an IoT jobs API moves that API's schedule item. */
const BUDGET = { 'dynamodb:UpdateItem': [TABLE] };
const MACHINE = '<ReleaseStateMachine>';
/** The machine's ARN built from its name, where `!Ref` would make a circular dependency. */
const MACHINE_BY_NAME = 'arn:aws:states:eu-west-1:111122223333:stateMachine:fleetwave-ci-release';

/** What a retry or rollback calls: the table, its job template, its execution. */
const DERIVES_RELEASES = {
  ...BUDGET,
  'dynamodb:GetItem': [TABLE],
  'dynamodb:PutItem': [TABLE],
  'dynamodb:Query': [TABLE],
  'iot:DescribeJobTemplate': [`${ACCOUNT}:jobtemplate/*`],
  'states:StartExecution': [MACHINE],
};

/** What creating a release calls, from the createRelease route or any trigger. */
const CREATES_RELEASES = {
  ...DERIVES_RELEASES,
  // Every thing group and thing the release names is looked up before it is stored.
  'iot:DescribeThingGroup': [`${ACCOUNT}:thinggroup/*`],
  'iot:DescribeThing': [`${ACCOUNT}:thing/*`],
};

/**
 * Every grant of each release API function, as `action → resources`
 * (besides writing its own logs): exactly what its use case calls, on the
 * release table (the index only for the listing), the release state
 * machine and its executions, and IoT's templates and jobs.
 */
/** An answer sent to a waiting workflow task (approve, resume), kept only while an execution runs the release. */
const SENDS_ANSWERS = {
  'dynamodb:GetItem': [TABLE],
  'dynamodb:PutItem': [TABLE],
  'dynamodb:Query': [TABLE],
  'states:SendTaskSuccess': [MACHINE],
  'states:DescribeExecution': [
    'arn:aws:states:eu-west-1:111122223333:execution:<ReleaseStateMachine.Name>:*',
  ],
};

/** What reading a release's job executions calls: the release, its jobs' executions, each execution's details. */
const READS_EXECUTIONS = {
  ...BUDGET,
  'dynamodb:Query': [TABLE],
  'iot:ListJobExecutionsForJob': [`${ACCOUNT}:job/*`],
  'iot:DescribeJobExecution': [`${ACCOUNT}:job/*`, `${ACCOUNT}:thing/*`],
};

const releaseApi: Record<string, Record<string, string[]>> = {
  // A dry run (`?dryRun=true`) also lists the members of the release's thing groups to size its cohorts.
  createRelease: { ...CREATES_RELEASES, 'iot:ListThingsInThingGroup': [`${ACCOUNT}:thinggroup/*`] },
  listReleases: { 'dynamodb:Query': [`${TABLE}/index/gsi1`] },
  getRelease: { 'dynamodb:Query': [TABLE] },
  getReleaseHistory: { 'dynamodb:GetItem': [TABLE], 'dynamodb:Query': [TABLE] },
  // A wave's executions (and the failure reasons): its jobs' listings, then each execution described.
  listWaveExecutions: READS_EXECUTIONS,
  getFailureReasons: READS_EXECUTIONS,
  cancelReleaseApi: {
    ...BUDGET,
    'dynamodb:GetItem': [TABLE],
    'dynamodb:PutItem': [TABLE],
    'dynamodb:Query': [TABLE],
    'states:StopExecution': ['arn:aws:states:eu-west-1:111122223333:execution:<ReleaseStateMachine.Name>:*'],
    'iot:CancelJob': [`${ACCOUNT}:job/*`],
    'iot:DescribeJob': [`${ACCOUNT}:job/*`],
    // Once the execution is stopped, the release's static thing groups are deleted here.
    'iot:DescribeThingGroup': [`${ACCOUNT}:thinggroup/*`],
    'iot:DeleteThingGroup': [`${ACCOUNT}:thinggroup/*`],
  },
  // An approval is kept for a gate opened again only while an execution runs the release.
  approveRelease: SENDS_ANSWERS,
  // A pause is one write of the release; the workflow holds it. With haltRollout, the running
  // wave's job is canceled without force (and described when IoT refuses the cancel).
  pauseRelease: {
    ...BUDGET,
    'dynamodb:GetItem': [TABLE],
    'dynamodb:PutItem': [TABLE],
    'dynamodb:Query': [TABLE],
    'iot:CancelJob': [`${ACCOUNT}:job/*`],
    'iot:DescribeJob': [`${ACCOUNT}:job/*`],
  },
  // A resume is kept for a hold entered again only while an execution runs the release.
  resumeRelease: SENDS_ANSWERS,
  // A retry or rollback names no targets of its own: it checks its template, stores, links and starts.
  retryRelease: DERIVES_RELEASES,
  rollbackRelease: DERIVES_RELEASES,
  rejectRelease: {
    ...BUDGET,
    'dynamodb:GetItem': [TABLE],
    'dynamodb:PutItem': [TABLE],
    'dynamodb:Query': [TABLE],
    'states:SendTaskFailure': [MACHINE],
    'states:StopExecution': ['arn:aws:states:eu-west-1:111122223333:execution:<ReleaseStateMachine.Name>:*'],
    'iot:CancelJob': [`${ACCOUNT}:job/*`],
    'iot:DescribeJob': [`${ACCOUNT}:job/*`],
    'iot:DescribeThingGroup': [`${ACCOUNT}:thinggroup/*`],
    'iot:DeleteThingGroup': [`${ACCOUNT}:thinggroup/*`],
  },
};

const IOT = (resource: string) => `${ACCOUNT}:${resource}`;
/** Every function that ends a release deletes the static thing groups it created. */
const DELETES_GROUPS = {
  'iot:DescribeThingGroup': [IOT('thinggroup/*')],
  'iot:DeleteThingGroup': [IOT('thinggroup/*')],
};
const PUT_EVENTS = { 'events:PutEvents': ['arn:aws:events:eu-west-1:111122223333:event-bus/default'] };
const WORKFLOW_TABLE = {
  'dynamodb:GetItem': [TABLE],
  'dynamodb:PutItem': [TABLE],
  'dynamodb:Query': [TABLE],
};
const STOPS_JOBS = { ...BUDGET, 'iot:DescribeJob': [IOT('job/*')], 'iot:CancelJob': [IOT('job/*')] };
const SSM = (name: string) => `arn:aws:ssm:eu-west-1:111122223333:parameter/fleetwave/ci/${name}`;
/** Every workflow function that publishes release events also tells people (SNS) and the release's webhook. */
const NOTIFIES = {
  ...PUT_EVENTS,
  'sns:Publish': ['<NotificationTopic>'],
  'ssm:GetParameters': [SSM('outgoing-webhook-secret')],
};

/**
 * Every grant of each release workflow function: the release table (never
 * the index: the workflow reads releases by key), the IoT calls of its task,
 * and publishing release events (all but PrepareWave).
 */
const workflow: Record<string, Record<string, string[]>> = {
  startRelease: {
    ...WORKFLOW_TABLE,
    ...BUDGET,
    'iot:DescribeJobTemplate': [IOT('jobtemplate/*')],
    ...NOTIFIES,
  },
  // A retry's or rollback's set: the source's executions, into its group; an empty one ends the release.
  gatherTargets: {
    ...WORKFLOW_TABLE,
    ...BUDGET,
    'iot:DescribeJob': [IOT('job/*')],
    'iot:ListJobExecutionsForJob': [IOT('job/*')],
    'iot:CreateThingGroup': [IOT('thinggroup/*')],
    'iot:ListThingsInThingGroup': [IOT('thinggroup/*')],
    'iot:AddThingToThingGroup': [IOT('thinggroup/*'), IOT('thing/*')],
    'iot:DescribeThing': [IOT('thing/*')],
    ...DELETES_GROUPS,
    ...NOTIFIES,
  },
  prepareWave: {
    ...WORKFLOW_TABLE,
    ...BUDGET,
    'iot:ListJobExecutionsForJob': [IOT('job/*')],
    'iot:ListThingsInThingGroup': [IOT('thinggroup/*')],
    'iot:CreateThingGroup': [IOT('thinggroup/*')],
    'iot:AddThingToThingGroup': [IOT('thinggroup/*'), IOT('thing/*')],
  },
  startWave: {
    ...WORKFLOW_TABLE,
    ...BUDGET,
    'iot:CreateJob': [IOT('job/*'), IOT('jobtemplate/*'), IOT('thing/*'), IOT('thinggroup/*')],
    'iot:DescribeJob': [IOT('job/*')],
    ...NOTIFIES,
  },
  checkWave: { ...WORKFLOW_TABLE, ...STOPS_JOBS, ...NOTIFIES },
  checkBake: { ...WORKFLOW_TABLE, ...BUDGET, 'iot:DescribeJob': [IOT('job/*')], ...NOTIFIES },
  // A gate opened again that finds its approval sends it to itself, as the wave's sleep wakes itself.
  requestApproval: { ...WORKFLOW_TABLE, ...NOTIFIES, 'states:SendTaskSuccess': [MACHINE_BY_NAME] },
  refuseApproval: { ...WORKFLOW_TABLE, ...BUDGET, ...DELETES_GROUPS, ...NOTIFIES },
  // A hold that finds the release resumed already sends the success to itself.
  holdRelease: { ...WORKFLOW_TABLE, ...NOTIFIES, 'states:SendTaskSuccess': [MACHINE_BY_NAME] },
  continueRelease: { ...WORKFLOW_TABLE, ...NOTIFIES },
  failWave: {
    ...WORKFLOW_TABLE,
    ...STOPS_JOBS,
    ...DELETES_GROUPS,
    ...NOTIFIES,
    'states:StartExecution': [MACHINE_BY_NAME],
  },
  cancelRelease: { ...WORKFLOW_TABLE, ...STOPS_JOBS, ...DELETES_GROUPS, ...NOTIFIES },
  finishRelease: { ...WORKFLOW_TABLE, ...BUDGET, ...DELETES_GROUPS, ...NOTIFIES },
  recordFailure: { ...WORKFLOW_TABLE, ...STOPS_JOBS, ...DELETES_GROUPS, ...NOTIFIES },
  // The wave's sleep may wake itself; the machine's ARN is built from its name (no circular dependency).
  awaitWaveProgress: {
    ...WORKFLOW_TABLE,
    'states:SendTaskSuccess': [MACHINE_BY_NAME],
  },
};

/**
 * Every grant of each release trigger: what createRelease calls (as the
 * createRelease route), its own webhook secret in SSM and nothing else; the
 * EventBridge trigger instead announces rejected requests and may put a
 * failed event in its dead-letter queue.
 */
const triggers: Record<string, Record<string, string[]>> = {
  githubWebhook: { ...CREATES_RELEASES, 'ssm:GetParameters': [SSM('github-webhook-secret')] },
  gitlabWebhook: { ...CREATES_RELEASES, 'ssm:GetParameters': [SSM('gitlab-webhook-secret')] },
  genericWebhook: { ...CREATES_RELEASES, 'ssm:GetParameters': [SSM('generic-webhook-secret')] },
  // IoT job events: reads and records the wave, wakes its workflow; never calls IoT. An event it
  // fails on three times goes to its dead-letter queue.
  iotJobEvents: {
    ...WORKFLOW_TABLE,
    'states:SendTaskSuccess': [MACHINE],
    'sqs:SendMessage': ['<JobEventsDeadLetterQueue.Arn>'],
  },
  releaseRequested: {
    ...CREATES_RELEASES,
    ...PUT_EVENTS,
    'sqs:SendMessage': ['<ReleaseRequestsDeadLetterQueue.Arn>'],
  },
};

/** The release API functions that call Step Functions, and so are told the state machine's ARN. */
const callsStepFunctions = [
  'createRelease',
  'cancelReleaseApi',
  'approveRelease',
  'rejectRelease',
  'resumeRelease',
  'retryRelease',
  'rollbackRelease',
];

const pseudo = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '111122223333' };

/** Evaluates the intrinsics IAM statements use (Ref to pseudo parameters, Join, Sub) to a string. */
function evaluate(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Ref' in v) return pseudo[v.Ref as keyof typeof pseudo] ?? `<${String(v.Ref)}>`;
  if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(evaluate).join(sep);
  }
  if ('Fn::Sub' in v) {
    return (v['Fn::Sub'] as string).replace(
      /\$\{([^}]+)\}/g,
      (_, name: string) => pseudo[name as keyof typeof pseudo] ?? `<${name}>`,
    );
  }
  throw new Error(`unsupported intrinsic ${JSON.stringify(value)}`);
}

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

describe('serverless package', () => {
  let dir: string;
  let resources: Record<string, Resource>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetwave-package-'));
    // --region makes the scoping check meaningful: ARNs must follow the deployment, not a constant.
    await run(
      join(root, 'node_modules/.bin/serverless'),
      ['package', '--stage', 'ci', '--region', 'eu-west-1', '--package', dir],
      {
        cwd: root,
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
        timeout: 240_000,
      },
    );
    const template = JSON.parse(
      await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
    );
    resources = template.Resources;
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const functionResource = (key: string) => {
    const name = `${key[0]!.toUpperCase()}${key.slice(1)}LambdaFunction`;
    const fn = resources[name];
    if (!fn) throw new Error(`no ${name} in the template`);
    return fn;
  };

  const roleStatements = (key: string): Statement[] => {
    const roleRef = functionResource(key).Properties.Role as { 'Fn::GetAtt': [string, string] };
    const role = resources[roleRef['Fn::GetAtt'][0]]!;
    const policies = role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
    return policies.flatMap((p) => p.PolicyDocument.Statement);
  };

  const apiFunctions = [
    ...Object.keys(expected),
    ...Object.keys(releaseApi),
    ...Object.keys(workflow),
    ...Object.keys(triggers),
  ];

  it.each(apiFunctions)('gives %s a role of its own', (key) => {
    const roles = apiFunctions.map((k) => JSON.stringify(functionResource(k).Properties.Role));
    expect(new Set(roles).size).toBe(roles.length);
    expect(JSON.stringify(functionResource(key).Properties.Role)).toContain(
      `${key[0]!.toUpperCase()}${key.slice(1)}`,
    );
  });

  it.each(Object.entries(expected))(
    'grants %s exactly the IoT actions it calls, on its own account and region',
    (key, want) => {
      const statements = roleStatements(key);
      const iot = statements.filter((s) => list(s.Action).some((a) => a.startsWith('iot:')));
      expect(iot.flatMap((s) => list(s.Action)).sort()).toEqual([...want.actions].sort());
      const arns = iot.flatMap((s) => list(s.Resource).map(evaluate)).sort();
      const wantArns = want.resources
        .map((r) => (r === '*' ? '*' : `arn:aws:iot:eu-west-1:111122223333:${r}`))
        .sort();
      expect(arns).toEqual(wantArns);
    },
  );

  it.each(Object.keys(expected))(
    'grants %s nothing but its IoT actions, its IoT call budget and writing its own logs',
    (key) => {
      const functionName = `fleetwave-ci-${key}`;
      const statements = roleStatements(key);
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        expect(s.Effect).toBe('Allow');
        for (const action of list(s.Action)) {
          expect(action).not.toContain('*');
          expect(
            action.startsWith('iot:') || action.startsWith('logs:') || action === 'dynamodb:UpdateItem',
          ).toBe(true);
        }
        if (list(s.Action).some((a) => a.startsWith('logs:'))) {
          for (const arn of list(s.Resource).map(evaluate)) {
            expect(arn).toMatch(
              new RegExp(`^arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/${functionName}:`),
            );
          }
        }
      }
    },
  );

  it.each(Object.entries({ ...releaseApi, ...workflow, ...triggers }))(
    'grants %s exactly the table, state machine, IoT and event calls its use case makes, and its own logs',
    (key, want) => {
      const grants: Record<string, string[]> = {};
      for (const s of roleStatements(key)) {
        expect(s.Effect).toBe('Allow');
        const actions = list(s.Action);
        if (actions.every((a) => a.startsWith('logs:'))) {
          for (const arn of list(s.Resource).map(evaluate)) {
            expect(arn).toMatch(
              new RegExp(`^arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/fleetwave-ci-${key}:`),
            );
          }
          continue;
        }
        for (const action of actions) {
          grants[action] = [...(grants[action] ?? []), ...list(s.Resource).map(evaluate)].sort();
        }
      }
      expect(grants).toEqual(Object.fromEntries(Object.entries(want).map(([a, r]) => [a, [...r].sort()])));
    },
  );

  it.each(apiFunctions)(
    'grants %s the IoT call budget exactly when it calls an IoT jobs API, and only on the budget items',
    (key) => {
      const statements = roleStatements(key);
      const actions = statements.flatMap((s) => list(s.Action));
      const callsJobsApi = actions.some((a) => budgetedIotApis.has(a.replace(/^iot:/, '')));
      const updates = statements.filter((s) => list(s.Action).includes('dynamodb:UpdateItem'));
      expect(updates.length).toBe(callsJobsApi ? 1 : 0);
      for (const s of updates) {
        expect(list(s.Action)).toEqual(['dynamodb:UpdateItem']);
        expect(s.Condition).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${budgetKeyPrefix}*`] },
        });
      }
      const variables = (
        functionResource(key).Properties.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      if (callsJobsApi) expect(variables.FLEETWAVE_IOT_CALLS_PER_SECOND).toBe('8');
    },
  );

  it.each(Object.keys(releaseApi))(
    'tells %s the state machine ARN only if it calls Step Functions',
    (key) => {
      const variables = (
        functionResource(key).Properties.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(variables.FLEETWAVE_TABLE).toEqual({ Ref: 'FleetwaveTable' });
      if (callsStepFunctions.includes(key)) {
        expect(variables.FLEETWAVE_RELEASE_STATE_MACHINE_ARN).toEqual({ Ref: 'ReleaseStateMachine' });
      } else {
        expect(variables).not.toHaveProperty('FLEETWAVE_RELEASE_STATE_MACHINE_ARN');
      }
    },
  );

  it('sends release requests that fail every retry to the dead-letter queue, from Lambda and from the rule', () => {
    const fn = functionResource('releaseRequested').Properties;
    expect(fn.DeadLetterConfig).toEqual({
      TargetArn: { 'Fn::GetAtt': ['ReleaseRequestsDeadLetterQueue', 'Arn'] },
    });
    const invokeConfig = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::EventInvokeConfig' &&
        JSON.stringify(r.Properties.FunctionName).includes('ReleaseRequestedLambdaFunction'),
    );
    expect(invokeConfig?.Properties.MaximumRetryAttempts).toBe(2);
    const rule = Object.values(resources).find((r) => r.Type === 'AWS::Events::Rule');
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['fleetwave.requests'],
      'detail-type': ['Release Requested'],
    });
    const [target] = (rule?.Properties.Targets ?? []) as Record<string, unknown>[];
    expect(target?.DeadLetterConfig).toEqual({
      Arn: { 'Fn::GetAtt': ['ReleaseRequestsDeadLetterQueue', 'Arn'] },
    });
    expect(target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    expect(resources.NotificationTopic?.Type).toBe('AWS::SNS::Topic');
  });

  it('has no wildcard action in any IAM policy of the stack', () => {
    const actions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Role')
      .flatMap((r) => (r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[])
      .flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => list(s.Action)));
    // An empty list would pass whatever the template grants: the stack has roles with actions.
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('protects every route but the signed webhooks with IAM authorisation', () => {
    const all = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    const webhooks = all.filter((r) => String(r.Properties.RouteKey).startsWith('POST /webhooks/'));
    expect(webhooks.map((r) => r.Properties.RouteKey).sort()).toEqual([
      'POST /webhooks/generic',
      'POST /webhooks/github',
      'POST /webhooks/gitlab',
    ]);
    // The handler verifies the signature over the raw body; IAM would refuse the CI system first.
    for (const r of webhooks) expect(r.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    const routes = all.filter((r) => !webhooks.includes(r));
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual([
      'DELETE /job-templates/{jobTemplateId}',
      'GET /job-templates',
      'GET /job-templates/{jobTemplateId}',
      'GET /releases',
      'GET /releases/{releaseId}',
      'GET /releases/{releaseId}/failure-reasons',
      'GET /releases/{releaseId}/history',
      'GET /releases/{releaseId}/waves/{waveNumber}/executions',
      'POST /job-templates',
      'POST /releases',
      'POST /releases/{releaseId}/approve',
      'POST /releases/{releaseId}/cancel',
      'POST /releases/{releaseId}/pause',
      'POST /releases/{releaseId}/reject',
      'POST /releases/{releaseId}/resume',
      'POST /releases/{releaseId}/retry',
      'POST /releases/{releaseId}/rollback',
    ]);
    for (const r of routes) expect(r.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it.each(apiFunctions)('bundles %s as one ESM .mjs file for nodejs22.x on arm64', async (key) => {
    const fn = functionResource(key).Properties;
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
    const zip = await readFile(join(dir, `${key}.zip`));
    const names = [
      ...zip.toString('latin1').matchAll(/functions\/(api|workflow|triggers)\/[\w-]+\.mjs/g),
    ].map((m) => m[0]);
    expect(new Set(names).size).toBe(1);
  });

  it('lets the release state machine invoke exactly the workflow functions its definition names', () => {
    const machine = resources.ReleaseStateMachine!.Properties;
    const substituted = Object.values(machine.DefinitionSubstitutions as Record<string, unknown>).map(
      evaluate,
    );
    const workflowArns = Object.keys(workflow).map(
      (key) => `<${key[0]!.toUpperCase()}${key.slice(1)}LambdaFunction.Arn>`,
    );
    expect(new Set(substituted)).toEqual(new Set(workflowArns));
    const placeholders = JSON.stringify(machine.Definition).match(/\$\{(\w+)\}/g) ?? [];
    expect(new Set(placeholders.map((p) => p.slice(2, -1)))).toEqual(
      new Set(Object.keys(machine.DefinitionSubstitutions as object)),
    );
    const role = resources[(machine.RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!]!;
    const policies = role.Properties.Policies as {
      PolicyName: string;
      PolicyDocument: { Statement: Statement[] };
    }[];
    const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
    const invokes = statements.filter((s) => list(s.Action).some((a) => a.startsWith('lambda:')));
    expect(invokes.flatMap((s) => list(s.Action))).toEqual(['lambda:InvokeFunction']);
    expect(invokes.flatMap((s) => list(s.Resource).map(evaluate)).sort()).toEqual([...workflowArns].sort());
    // Besides invoking its tasks, the workflow may only deliver its execution log and send traces.
    const others = statements.filter((s) => !invokes.includes(s)).flatMap((s) => list(s.Action));
    for (const action of others)
      expect(action).toMatch(
        /^(logs:\w+Log(Delivery|Deliveries|Groups)|logs:\w+ResourcePolic(y|ies)|xray:\w+)$/,
      );
  });
});

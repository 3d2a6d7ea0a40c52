/**
 * The packaged CloudFormation template keeps its data and its failures:
 * the release table survives `serverless remove` and replacement, every
 * asynchronous path has somewhere to put what it could not handle, the
 * HTTP API is throttled and logged, the workflow logs its errors, and what
 * rests in SNS and SQS is encrypted. `.ci/run` also runs cfn-lint on the
 * same template and fails on any error.
 */
import { describe, expect, it } from 'vitest';
import { usePackagedTemplate } from './package-once.js';

interface Resource {
  Type: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: unknown;
  Properties: Record<string, unknown>;
}

const { resource, ofType } = usePackagedTemplate<Resource>();

const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });

describe('the packaged stack', () => {
  it('keeps the release table when the stack is removed or the table replaced, and refuses its deletion', () => {
    const table = resource('FleetwaveTable');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('sends the job events a topic rule cannot deliver to the job events dead-letter queue', () => {
    const rules = ofType('AWS::IoT::TopicRule');
    expect(rules.map(([id]) => id).sort()).toEqual(['JobEventsTopicRule', 'JobExecutionEventsTopicRule']);
    for (const [, rule] of rules) {
      const payload = rule.Properties.TopicRulePayload as Record<string, unknown>;
      expect(payload.ErrorAction).toEqual({
        Sqs: {
          QueueUrl: { Ref: 'JobEventsDeadLetterQueue' },
          RoleArn: getAtt('JobEventsErrorActionRole'),
          UseBase64: false,
        },
      });
    }
    // The error action's role: assumed by IoT of this account only, to send to that queue only.
    const role = resource('JobEventsErrorActionRole').Properties;
    const trust = (role.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    expect(trust.map((s) => s.Principal)).toEqual([{ Service: 'iot.amazonaws.com' }]);
    const statements = (
      role.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[]
    ).flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [getAtt('JobEventsDeadLetterQueue')] },
    ]);
  });

  it('keeps a job event the function failed on every retry in the same dead-letter queue', () => {
    const fn = resource('IotJobEventsLambdaFunction').Properties;
    expect(fn.DeadLetterConfig).toEqual({ TargetArn: getAtt('JobEventsDeadLetterQueue') });
    const invokeConfig = ofType('AWS::Lambda::EventInvokeConfig').find(([, r]) =>
      JSON.stringify(r.Properties.FunctionName).includes('IotJobEventsLambdaFunction'),
    );
    expect(invokeConfig?.[1].Properties.MaximumRetryAttempts).toBe(2);
  });

  it('encrypts every queue and the notification topic at rest', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.map(([id]) => id).sort()).toEqual([
      'JobEventsDeadLetterQueue',
      'ReleaseRequestsDeadLetterQueue',
    ]);
    for (const [, queue] of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(resource('NotificationTopic').Properties.KmsMasterKeyId).toBe('alias/aws/sns');
  });

  it('throttles every route, the unauthenticated webhooks tighter, and logs every request', () => {
    const stage = resource('HttpApiStage').Properties;
    const defaults = stage.DefaultRouteSettings as Record<string, unknown>;
    const rate = (settings: Record<string, unknown>) => Number(settings.ThrottlingRateLimit);
    const burst = (settings: Record<string, unknown>) => Number(settings.ThrottlingBurstLimit);
    expect(rate(defaults)).toBeGreaterThan(0);
    expect(burst(defaults)).toBeGreaterThanOrEqual(rate(defaults));

    const routeKeys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    const webhooks = routeKeys.filter((key) => key.startsWith('POST /webhooks/')).sort();
    expect(webhooks).toHaveLength(3);
    const perRoute = stage.RouteSettings as Record<string, Record<string, unknown>>;
    // A route setting for a route that does not exist fails the deployment.
    expect(Object.keys(perRoute).sort()).toEqual(webhooks);
    for (const settings of Object.values(perRoute)) {
      expect(rate(settings)).toBeLessThan(rate(defaults));
      expect(burst(settings)).toBeLessThan(burst(defaults));
    }

    const access = stage.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(access.DestinationArn).toEqual(getAtt('HttpApiLogGroup'));
    expect(Object.keys(JSON.parse(access.Format) as object)).toEqual(
      expect.arrayContaining(['requestId', 'ip', 'routeKey', 'status']),
    );
    expect(resource('HttpApiLogGroup').Properties.RetentionInDays).toBe(30);
  });

  it('logs the workflow errors without execution data, with tracing as an option', () => {
    const machine = resource('ReleaseStateMachine').Properties;
    expect(machine.LoggingConfiguration).toEqual({
      Level: 'ERROR',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: getAtt('ReleaseStateMachineLogGroup') } }],
    });
    expect(String((machine.TracingConfiguration as { Enabled: unknown }).Enabled)).toBe('false');
    const logGroup = resource('ReleaseStateMachineLogGroup').Properties;
    expect(logGroup.LogGroupName).toMatch(/^\/aws\/vendedlogs\/states\//);
    expect(logGroup.RetentionInDays).toBe(30);
  });
});

/**
 * The packaged dashboard and alarms watch what the code really emits: every
 * fleetwave metric they name is in the catalogue the code emits from
 * (lib/metrics/catalog.ts), with its namespace, its `service`, the `stage`
 * every function is given, and its own dimensions, and every metric of the
 * catalogue is on the dashboard. The state machine's failed and timed-out
 * executions have their alarms. The
 * workflow task errors cover exactly the state machine's task functions,
 * every dead-letter queue has its depth alarm, and every alarm that acts
 * notifies AlarmTopic.
 */
import { describe, expect, it } from 'vitest';
import { isTerminalWaveStatus, waveStatuses } from '../../../lib/domain/statuses.js';
import {
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  type MetricName,
  metricCatalog,
  metricNames,
  SERVICE_DIMENSION,
  STAGE_DIMENSION,
} from '../../../lib/metrics/catalog.js';
import { usePackagedTemplate } from './package-once.js';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** A metric as a graph or an alarm names it. */
interface MetricRef {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

const { resource, ofType } = usePackagedTemplate<Resource>();

/** The dashboard's body, its `${...}` substitutions written `<...>`. */
function dashboardBody(): { widgets: { properties: { title: string; metrics: unknown[][] } }[] } {
  const sub = resource('MonitoringDashboard').Properties.DashboardBody as { 'Fn::Sub': string };
  return JSON.parse(sub['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>'));
}

/** `[namespace, name, dim, value, ..., options?]` as a {@link MetricRef}. */
function graphMetric(entry: unknown[]): MetricRef {
  const [namespace, name, ...rest] = entry;
  const pairs = rest.filter((x) => typeof x === 'string') as string[];
  const dimensions: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
  return { namespace: String(namespace), name: String(name), dimensions };
}

const dashboardMetrics = () => dashboardBody().widgets.flatMap((w) => w.properties.metrics.map(graphMetric));

/** The packaging's stage: `ci`, as `npm run package` and the packaging tests name it. */
const PACKAGED_STAGE = 'ci';

/** What a metric of the catalogue must look like wherever it is named. */
function expectEmitted(ref: MetricRef): void {
  expect(ref.namespace).toBe(METRICS_NAMESPACE);
  expect(metricNames, `${ref.name} is emitted`).toContain(ref.name);
  const own = metricCatalog[ref.name as MetricName].dimensions as readonly string[];
  expect(Object.keys(ref.dimensions).sort(), ref.name).toEqual(
    [SERVICE_DIMENSION, STAGE_DIMENSION, ...own].sort(),
  );
  expect(ref.dimensions[SERVICE_DIMENSION]).toBe(METRICS_SERVICE);
  expect(ref.dimensions[STAGE_DIMENSION], ref.name).toBe(PACKAGED_STAGE);
  if (own.includes('Outcome')) {
    expect(waveStatuses.filter(isTerminalWaveStatus)).toContain(ref.dimensions.Outcome);
  }
}

/** Function names of the Lambda `Errors` metrics a resource or widget reads. */
const lambdaErrorFunctions = (refs: MetricRef[]) =>
  refs
    .filter((r) => r.namespace === 'AWS/Lambda' && r.name === 'Errors')
    .map((r) => r.dimensions.FunctionName);

/** The names of the functions the release state machine runs as its tasks. */
function workflowTaskFunctions(): string[] {
  const substitutions = resource('ReleaseStateMachine').Properties.DefinitionSubstitutions as Record<
    string,
    { 'Fn::GetAtt': [string, string] }
  >;
  return Object.values(substitutions)
    .map((arn) => String(resource(arn['Fn::GetAtt'][0]).Properties.FunctionName))
    .sort();
}

/** The metrics of a metric math alarm. */
function alarmMetrics(alarm: Resource): MetricRef[] {
  const queries = alarm.Properties.Metrics as { MetricStat?: { Metric: Record<string, unknown> } }[];
  return queries.flatMap((q) => {
    if (!q.MetricStat) return [];
    const metric = q.MetricStat.Metric as {
      Namespace: string;
      MetricName: string;
      Dimensions: { Name: string; Value: string }[];
    };
    return [
      {
        namespace: metric.Namespace,
        name: metric.MetricName,
        dimensions: Object.fromEntries(metric.Dimensions.map((d) => [d.Name, d.Value])),
      },
    ];
  });
}

describe('the packaged functions', () => {
  it('each know their stage, the stage dimension their metrics carry', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.FLEETWAVE_STAGE, id).toBe(PACKAGED_STAGE);
    }
  });
});

describe('the packaged dashboard', () => {
  it('graphs every metric the code emits, each as the code emits it', () => {
    const ours = dashboardMetrics().filter((m) => m.namespace === METRICS_NAMESPACE);
    for (const ref of ours) expectEmitted(ref);
    expect([...new Set(ours.map((m) => m.name))].sort()).toEqual([...metricNames].sort());
  });

  it('graphs the workflow: its executions failed, its task functions errors, the dead-letter queues', () => {
    const refs = dashboardMetrics();
    expect(lambdaErrorFunctions(refs).sort()).toEqual(workflowTaskFunctions());
    const states = refs.filter((r) => r.namespace === 'AWS/States');
    expect(states.map((r) => r.name)).toContain('ExecutionsFailed');
    for (const r of states) expect(r.dimensions.StateMachineArn).toBe('<ReleaseStateMachine>');
    const queues = refs.filter((r) => r.namespace === 'AWS/SQS').map((r) => r.dimensions.QueueName);
    expect(queues.sort()).toEqual(
      ofType('AWS::SQS::Queue')
        .map(([id]) => `<${id}.QueueName>`)
        .sort(),
    );
  });
});

describe('the packaged alarms', () => {
  it('alarm on a failed release with the metric the code emits', () => {
    const alarm = resource('ReleaseFailedAlarm').Properties;
    expectEmitted({
      namespace: String(alarm.Namespace),
      name: String(alarm.MetricName),
      dimensions: Object.fromEntries(
        (alarm.Dimensions as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]),
      ),
    });
    expect(alarm).toMatchObject({
      MetricName: 'ReleasesFailed',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarm on a failed or timed-out execution of the release state machine', () => {
    const watched = ofType('AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties.Namespace === 'AWS/States')
      .map(([, a]) => {
        expect(a.Properties).toMatchObject({
          Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: 'ReleaseStateMachine' } }],
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [{ Ref: 'AlarmTopic' }],
        });
        return a.Properties.MetricName;
      });
    expect(watched.sort()).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
  });

  it('alarm on the errors of exactly the workflow task functions, at most 10 metrics per alarm', () => {
    const composite = resource('WorkflowTaskErrorsAlarm').Properties;
    const parts = ['WorkflowTaskErrorsAlarmA', 'WorkflowTaskErrorsAlarmB'];
    expect(JSON.stringify(composite.AlarmRule)).toEqual(
      JSON.stringify({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not JavaScript's
        'Fn::Sub': 'ALARM("${WorkflowTaskErrorsAlarmA}") OR ALARM("${WorkflowTaskErrorsAlarmB}")',
      }),
    );
    const functions = parts.flatMap((id) => {
      const metrics = alarmMetrics(resource(id));
      expect(metrics.length).toBeLessThanOrEqual(10);
      // The parts only feed the composite alarm, which is the one that notifies.
      expect(resource(id).Properties.AlarmActions).toBeUndefined();
      return lambdaErrorFunctions(metrics);
    });
    expect(functions.sort()).toEqual(workflowTaskFunctions());
  });

  it('alarm on each dead-letter queue holding a message', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.Namespace === 'AWS/SQS');
    const watched = alarms.map(([, a]) => {
      expect(a.Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      return JSON.stringify((a.Properties.Dimensions as { Value: unknown }[])[0]?.Value);
    });
    expect(watched.sort()).toEqual(
      ofType('AWS::SQS::Queue')
        .map(([id]) => JSON.stringify({ 'Fn::GetAtt': [id, 'QueueName'] }))
        .sort(),
    );
  });

  it('notify AlarmTopic, every alarm that acts', () => {
    const acting = [...ofType('AWS::CloudWatch::Alarm'), ...ofType('AWS::CloudWatch::CompositeAlarm')].filter(
      ([, a]) => a.Properties.AlarmActions !== undefined,
    );
    expect(acting.length).toBe(6);
    for (const [, alarm] of acting) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
  });
});

/**
 * The state machines are generated from their tables (`state-machines/`):
 * the committed JSON is exactly what its table generates, a task is one row
 * (its Task, its Choice, its Pace wait), and a table with a mistake fails
 * the generation, naming it. What the release machine must do is checked on
 * the JSON by release-definition.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { buildMachine } from '../../../state-machines/build-machine.js';
import { backoff } from '../../../state-machines/machine-table.js';
import { releaseMachine } from '../../../state-machines/release-definition.js';
import { generatedMachines, projectRoot, renderMachine } from '../../../state-machines/render-machine.js';

type Table = typeof releaseMachine;

/** The release table with more rows, as a later change would add them. */
function releaseWith(...rows: Table['rows'][number][]): Table {
  return { ...releaseMachine, rows: [...releaseMachine.rows, ...rows] };
}

const scheduleRow = {
  task: 'ScheduleRelease',
  fn: 'scheduleRelease',
  comment: 'Waits for the release window.',
  retry: [backoff(['UpstreamError'], 2, 6)],
  paced: true,
  routes: { wave: 'PrepareWave', canceled: 'CancelRelease' },
} as const;

describe('the generated state machines', () => {
  it.each(generatedMachines.map((m) => [m.file, m] as const))(
    '%s is what its table generates (npm run generate:state-machine writes it)',
    (file, machine) => {
      const committed = readFileSync(join(projectRoot, file), 'utf8');
      const definition = machine.definition();
      const stale = `${file} differs from its table: run npm run generate:state-machine, commit both`;
      // The parsed comparison shows which states differ; the text one also catches order and layout.
      expect(JSON.parse(committed), stale).toEqual(definition);
      expect(committed, stale).toBe(renderMachine(file, definition));
    },
  );

  it('adds a paced task from one row: its Task, its Choice with the pace route first, its Pace wait', () => {
    const before = buildMachine(releaseMachine);
    const after = buildMachine(releaseWith(scheduleRow));
    const added = Object.keys(after.States).filter((name) => !(name in before.States));
    expect(added).toEqual(['ScheduleRelease', 'AfterScheduleRelease', 'PaceScheduleRelease']);
    expect(after.States).toMatchObject(before.States);
    expect(after.States.ScheduleRelease).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a DefinitionSubstitutions placeholder.
      Parameters: { FunctionName: '${ScheduleReleaseFunctionArn}' },
      OutputPath: '$.Payload',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }],
      Next: 'AfterScheduleRelease',
    });
    expect(after.States.AfterScheduleRelease).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.next', StringEquals: 'pace', Next: 'PaceScheduleRelease' },
        { Variable: '$.next', StringEquals: 'wave', Next: 'PrepareWave' },
        { Variable: '$.next', StringEquals: 'canceled', Next: 'CancelRelease' },
      ],
      Default: 'UnexpectedStep',
    });
    expect(after.States.PaceScheduleRelease).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.pace.until',
      Next: 'ScheduleRelease',
    });
    const { isValid, errorsText } = aslValidator(after);
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it('refuses a route to a state the table does not define, naming the transition', () => {
    const table = releaseWith({ ...scheduleRow, routes: { wave: 'PrepareWaves' } });
    expect(() => buildMachine(table)).toThrow(
      'transitions to undefined states: AfterScheduleRelease → PrepareWaves',
    );
  });

  it('refuses two states of one name', () => {
    expect(() => buildMachine(releaseWith({ ...scheduleRow, task: 'CheckWave' }))).toThrow(
      'two states are named CheckWave',
    );
  });

  it("refuses a paced task's pace route listed by hand: it is generated", () => {
    const table = releaseWith({ ...scheduleRow, routes: { pace: 'PrepareWave' } });
    expect(() => buildMachine(table)).toThrow(`ScheduleRelease: a paced task's "pace" route is generated`);
  });
});

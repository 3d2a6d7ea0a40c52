import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SfnHarness,
  startSfnHarness,
  untilHistoryHas,
  untilStatus,
} from '../../support/stepfunctions.js';

/** Input `{"wait": n}` waits n seconds; 0 ends at once. */
const MACHINE = JSON.stringify({
  StartAt: 'Pause',
  States: {
    Pause: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Done' },
    Done: { Type: 'Pass', Result: { done: true }, End: true },
  },
});

describe('ListExecutions and GetExecutionHistory', () => {
  let h: SfnHarness;
  let stateMachineArn: string;
  const arns: string[] = [];

  beforeAll(async () => {
    h = await startSfnHarness();
    stateMachineArn = h.emulator.registerStateMachine({
      name: 'lists',
      definition: MACHINE,
      resolveTask: () => undefined,
    }).stateMachineArn;
    // e0..e4: even ones finish at once, odd ones wait an hour.
    for (let i = 0; i < 5; i++) {
      const input = JSON.stringify({ wait: i % 2 === 0 ? 0 : 3600 });
      const { executionArn } = await h.client.send(
        new StartExecutionCommand({ stateMachineArn, name: `e${i}`, input }),
      );
      arns.push(executionArn!);
      await h.clock.advance(1000);
    }
    for (const [i, arn] of arns.entries()) {
      if (i % 2 === 0) await untilStatus(h.client, arn, 'SUCCEEDED');
      else await untilHistoryHas(h.client, arn, 'WaitStateEntered');
    }
  });
  afterAll(() => h.close());

  it('lists executions newest first', async () => {
    const all = await h.client.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(all.executions?.map((e) => e.name)).toEqual(['e4', 'e3', 'e2', 'e1', 'e0']);
    expect(all.nextToken).toBeUndefined();
  });

  it('filters by status', async () => {
    const running = await h.client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }),
    );
    expect(running.executions?.map((e) => e.name)).toEqual(['e3', 'e1']);
    const succeeded = await h.client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }),
    );
    expect(succeeded.executions?.map((e) => [e.name, e.status, e.stopDate !== undefined])).toEqual([
      ['e4', 'SUCCEEDED', true],
      ['e2', 'SUCCEEDED', true],
      ['e0', 'SUCCEEDED', true],
    ]);
  });

  it('pages with maxResults and nextToken', async () => {
    const names: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.client.send(
        new ListExecutionsCommand({ stateMachineArn, maxResults: 2, nextToken }),
      );
      names.push(page.executions!.map((e) => e.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual([['e4', 'e3'], ['e2', 'e1'], ['e0']]);
  });

  it('refuses a nextToken it did not issue: InvalidToken', async () => {
    const bad = h.client.send(new ListExecutionsCommand({ stateMachineArn, nextToken: 'bm90LWEtdG9rZW4' }));
    await expect(bad).rejects.toMatchObject({ name: 'InvalidToken', $metadata: { httpStatusCode: 400 } });
  });

  it('returns the history in order, reversed, and in pages', async () => {
    const executionArn = arns[0]!;
    const full = await h.client.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = full.events!.map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(full.events![0]!.executionStartedEventDetails).toMatchObject({ input: '{"wait":0}' });
    expect(full.events![5]!.executionSucceededEventDetails?.output).toBe('{"done":true}');

    const reversed = await h.client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );
    expect(reversed.events!.map((e) => e.id)).toEqual([6, 5, 4, 3, 2, 1]);

    const first = await h.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4 }));
    expect(first.events!.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    const rest = await h.client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 4, nextToken: first.nextToken }),
    );
    expect(rest.events!.map((e) => e.id)).toEqual([5, 6]);
    expect(rest.nextToken).toBeUndefined();

    const noData = await h.client.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }),
    );
    expect(noData.events![0]!.executionStartedEventDetails?.input).toBeUndefined();
    expect(noData.events![1]!.stateEnteredEventDetails).toEqual({
      name: 'Pause',
      inputDetails: { truncated: false },
    });
  });

  it('counts one transition per state entered', async () => {
    expect(h.emulator.getExecutionStats(arns[0]!)).toEqual({ stateTransitions: 2, historyEvents: 6 });
    expect(h.emulator.getExecutionStats(arns[1]!)).toEqual({ stateTransitions: 1, historyEvents: 2 });
    expect(
      h.emulator.getExecutionStats('arn:aws:states:us-east-1:000000000000:execution:lists:nope'),
    ).toBeUndefined();
  });
});

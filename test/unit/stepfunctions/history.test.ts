import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { prepareDefinition } from '../../../local/stepfunctions/definition/prepare.js';
import { ExecutionHistory, type LibraryEvent } from '../../../local/stepfunctions/runtime/history.js';

const states = prepareDefinition({
  StartAt: 'T',
  States: {
    T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'W' },
    W: { Type: 'Wait', Seconds: 1, End: true },
  },
}).states;

// The library reports the prepared type: a Wait state runs as a Task.
const entered = (name: string): LibraryEvent => ({
  type: 'StateEntered',
  timestamp: 0,
  state: { name, type: 'Task', input: {} },
});
const exited = (name: string): LibraryEvent => ({
  type: 'StateExited',
  timestamp: 0,
  state: { name, type: 'Task', input: {}, output: { ok: 1 } },
});

describe('ExecutionHistory', () => {
  it("holds a handler's events until the library's StateEntered for that entry arrives", () => {
    const history = new ExecutionHistory(new VirtualClock({ start: 0 }), states);
    const entry = history.openEntry('T');
    history.emit(entry, 'TaskScheduled', { resource: 'invoke' });
    expect(history.events).toEqual([]);
    history.ingest(entered('T'));
    history.emit(entry, 'TaskSucceeded', { output: '{}' });
    history.ingest(exited('T'));
    expect(history.events.map((e) => e.type)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    expect(history.events[1]).toMatchObject({
      id: 2,
      previousEventId: 1,
      taskScheduledEventDetails: { resource: 'invoke' },
    });
  });

  it('names state events by the original state type (a Wait run as a Task is still a Wait)', () => {
    const history = new ExecutionHistory(new VirtualClock({ start: 0 }), states);
    history.ingest(entered('W'));
    history.ingest(exited('W'));
    expect(history.events.map((e) => e.type)).toEqual(['WaitStateEntered', 'WaitStateExited']);
    expect(history.events[0]!.stateEnteredEventDetails).toEqual({
      name: 'W',
      input: '{}',
      inputDetails: { truncated: false },
    });
  });

  it('counts a transition per state entered and per retry', () => {
    const history = new ExecutionHistory(new VirtualClock({ start: 0 }), states);
    history.ingest(entered('T'));
    history.countRetry();
    history.ingest(exited('T'));
    history.ingest(entered('W'));
    expect(history.stateTransitions).toBe(3);
  });

  it('writes Aborted events for open states and nothing after the terminal event', () => {
    const clock = new VirtualClock({ start: 5000 });
    const history = new ExecutionHistory(clock, states);
    history.ingest(entered('W'));
    history.abortOpenStates();
    history.close('ExecutionAborted', { error: 'E' });
    history.ingest(exited('W'));
    expect(history.events.map((e) => [e.type, e.timestamp])).toEqual([
      ['WaitStateEntered', 5],
      ['WaitStateAborted', 5],
      ['ExecutionAborted', 5],
    ]);
    expect(history.isClosed).toBe(true);
  });
});

/**
 * The execution history as GetExecutionHistory returns it, built from two
 * sources: the library's event log (states entered and exited, Map
 * iterations) and the task handlers (scheduled, started, succeeded, failed,
 * timed out). The library's log is an async generator, so it arrives a few
 * microtasks after the fact while handlers report synchronously; each handler
 * event is therefore held back until the library's matching `StateEntered`
 * has been written, which keeps AWS's order: entered, task events, exited.
 */
import type { StateMachine } from 'aws-local-stepfunctions';
import type { Clock } from '../../clock/clock.js';
import type { StateInfo } from '../definition/prepare.js';

/** One event of GetExecutionHistory, wire-shaped (timestamp in epoch seconds). */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** One event of the library's log. */
export type LibraryEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type Details = Record<string, unknown>;

/** Identifies one entry into a state, as counted by the task handler that runs it. */
export interface StateEntry {
  readonly name: string;
  readonly ordinal: number;
}

const ABORTABLE = new Set(['Task', 'Wait', 'Map', 'Parallel']);

/** `TaskStateEntered` → `stateEnteredEventDetails`, `TaskScheduled` → `taskScheduledEventDetails`. */
function detailsKeyOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
}

const data = (value: unknown) => JSON.stringify(value ?? null);

export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  private transitions = 0;
  private closed = false;
  private lastTimestamp = 0;
  private readonly handlerEntries = new Map<string, number>();
  private readonly libraryEntries = new Map<string, number>();
  private readonly held = new Map<
    string,
    Array<{ type: string; details: Details | undefined; at: number }>
  >();
  private readonly openStates: StateInfo[] = [];
  private lastEnteredState: StateInfo | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly states: ReadonlyMap<string, StateInfo>,
  ) {}

  /** State transitions billed so far: each state entered, and each retry of a state. */
  get stateTransitions(): number {
    return this.transitions;
  }

  /** The state entered last (the Fail state, when a Fail state ended the execution). */
  get lastEntered(): StateInfo | undefined {
    return this.lastEnteredState;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Appends an event now (ignored once the history is closed). */
  append(type: string, details?: Details, at = this.clock.now()): void {
    if (this.closed) return;
    this.lastTimestamp = Math.max(this.lastTimestamp, at);
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: this.lastTimestamp / 1000, type, id, previousEventId: id - 1 };
    if (details) event[detailsKeyOf(type)] = details;
    this.events.push(event);
  }

  /** Called by a task handler when it starts running a state entry. */
  openEntry(name: string): StateEntry {
    const ordinal = (this.handlerEntries.get(name) ?? 0) + 1;
    this.handlerEntries.set(name, ordinal);
    return { name, ordinal };
  }

  /** A task handler's event, written after its entry's `StateEntered`. */
  emit(entry: StateEntry, type: string, details?: Details): void {
    if ((this.libraryEntries.get(entry.name) ?? 0) >= entry.ordinal) {
      this.append(type, details);
      return;
    }
    const key = `${entry.ordinal}#${entry.name}`;
    const list = this.held.get(key) ?? [];
    list.push({ type, details, at: this.clock.now() });
    this.held.set(key, list);
  }

  countRetry(): void {
    this.transitions++;
  }

  /** Takes one event of the library's log. */
  ingest(event: LibraryEvent): void {
    switch (event.type) {
      case 'StateEntered':
        this.entered(event.state.name, event.state.input);
        return;
      case 'StateExited':
        this.exited(event.state.name, event.state.output);
        return;
      case 'StateFailed': {
        const type = this.typeOf(event.state.name);
        if (type === 'Map' || type === 'Parallel') this.append(`${type}StateFailed`);
        return;
      }
      case 'StateRetried':
        this.transitions++;
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.append(event.type, { name: event.parentState.name, index: event.index });
        return;
      default:
        // Execution-level events are written by the execution itself; branch
        // events have no AWS counterpart.
        return;
    }
  }

  /** Writes `<Type>StateAborted` for every state still open, innermost first. */
  abortOpenStates(): void {
    for (const state of [...this.openStates].reverse()) {
      if (ABORTABLE.has(state.type)) this.append(`${state.type}StateAborted`);
    }
    this.openStates.length = 0;
  }

  /** Writes the terminal event; nothing is written after it. */
  close(type: string, details?: Details): void {
    this.held.clear();
    this.append(type, details);
    this.closed = true;
  }

  private typeOf(name: string): string {
    return this.states.get(name)?.type ?? 'Pass';
  }

  private entered(name: string, input: unknown): void {
    const info = this.states.get(name);
    const type = this.typeOf(name);
    this.transitions++;
    this.append(`${type}StateEntered`, { name, input: data(input), inputDetails: { truncated: false } });
    if (type === 'Parallel' || type === 'Map') this.append(`${type}StateStarted`);
    if (info) this.openStates.push(info);
    this.lastEnteredState = info;
    const ordinal = (this.libraryEntries.get(name) ?? 0) + 1;
    this.libraryEntries.set(name, ordinal);
    const key = `${ordinal}#${name}`;
    for (const held of this.held.get(key) ?? []) this.append(held.type, held.details, held.at);
    this.held.delete(key);
  }

  private exited(name: string, output: unknown): void {
    const type = this.typeOf(name);
    if (type === 'Parallel' || type === 'Map') this.append(`${type}StateSucceeded`);
    this.append(`${type}StateExited`, { name, output: data(output), outputDetails: { truncated: false } });
    const index = this.openStates.findLastIndex((s) => s.name === name);
    if (index >= 0) this.openStates.splice(index, 1);
  }
}

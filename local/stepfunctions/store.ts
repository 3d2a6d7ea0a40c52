/**
 * The emulator's state: state machines by name, executions by ARN, and what
 * executions share (clock, task tokens). Lookups by ARN raise the AWS errors.
 */
import { parseSfnArn, type SfnLocation, stateMachineArn } from './arn.js';
import { parseDefinition } from './definition/parse.js';
import { sfnError } from './errors.js';
import type { StepFunctionsClock } from './runtime/clock.js';
import type { Execution, ExecutionServices, MachineRecord } from './runtime/execution.js';
import type { TaskResolver } from './runtime/lambda.js';
import { TaskTokenRegistry } from './runtime/task-tokens.js';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface StoredMachine extends MachineRecord {
  /** The definition text as created (after substitutions). */
  definition: string;
  type: StateMachineType;
  creationDate: number;
  /** Executions of this machine by execution name. */
  executions: Map<string, Execution>;
}

export interface MachineSpec {
  name: string;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  resolveTask: TaskResolver;
}

export class SfnStore {
  readonly machines = new Map<string, StoredMachine>();
  readonly executions = new Map<string, Execution>();
  readonly tokens = new TaskTokenRegistry();
  private seq = 0;

  constructor(
    readonly location: SfnLocation,
    readonly clock: StepFunctionsClock,
    readonly random: () => number,
    /** Resolves the tasks of machines created through the API. */
    readonly defaultResolveTask: TaskResolver,
  ) {}

  get services(): ExecutionServices {
    return { clock: this.clock, location: this.location, tokens: this.tokens, random: this.random };
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Parses and stores a machine, replacing any machine of that name (executions already started keep theirs). */
  putMachine(spec: MachineSpec): StoredMachine {
    const parsed = parseDefinition(spec.definition);
    const previous = this.machines.get(spec.name);
    const machine: StoredMachine = {
      arn: stateMachineArn(this.location, spec.name),
      name: spec.name,
      roleArn: spec.roleArn,
      parsed,
      resolveTask: spec.resolveTask,
      definition: spec.definition,
      type: spec.type,
      creationDate: previous?.creationDate ?? this.clock.now(),
      executions: previous?.executions ?? new Map(),
    };
    this.machines.set(spec.name, machine);
    return machine;
  }

  machineByArn(arn: string): StoredMachine {
    const { machineName, region, accountId } = parseSfnArn(arn, 'stateMachine');
    const machine = this.machines.get(machineName);
    if (!machine || region !== this.location.region || accountId !== this.location.accountId) {
      throw sfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
    return machine;
  }

  executionByArn(arn: string): Execution {
    parseSfnArn(arn, 'execution');
    const execution = this.executions.get(arn);
    if (!execution) throw sfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }
}

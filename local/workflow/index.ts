/**
 * The release workflow in the local stack: every state machine
 * `serverless.yml` deploys, registered on the Step Functions endpoint from
 * the same ASL file with the same substitutions, each function ARN run by
 * its handler in `functions/`; plus what tests need to drive it on a
 * manual clock and to inject faults between its steps.
 */
import type { VirtualClock } from '../clock/virtual-clock.js';
import type { ServerlessYml } from '../serverless-yml.js';
import type { StepFunctionsEmulator } from '../stepfunctions/index.js';
import { WorkflowDriver } from './driver.js';
import { type LocalNaming, stateMachinesOf } from './serverless-machines.js';
import { dynamoDbFaults, type ServiceFaults, stepFunctionsFaults } from './service-faults.js';
import { TaskTracker } from './task-tracker.js';
import type { TrackedClock } from './timer-tracker.js';

export {
  functionLogicalId,
  stateMachinesOf,
} from './serverless-machines.js';

export { trackTimers } from './timer-tracker.js';

export interface LocalWorkflow {
  /** State machine ARNs by CloudFormation logical id, e.g. `ReleaseStateMachine`. */
  readonly stateMachineArns: ReadonlyMap<string, string>;
  /** Task handlers loaded and running. */
  readonly tasks: TaskTracker;
  /** Moves a manual clock from one workflow wake-up to the next. */
  readonly driver: WorkflowDriver;
  /** Faults on the local DynamoDB (the stack mounts it behind them). */
  readonly dynamoDbFaults: ServiceFaults;
  /** Faults on the local Step Functions API (StartExecution, SendTaskSuccess, ...), mounted the same way. */
  readonly stepFunctionsFaults: ServiceFaults;
}

export interface LocalWorkflowOptions {
  sfn: StepFunctionsEmulator;
  /** The clock the endpoint was created with (a {@link TrackedClock} over `clock`). */
  timers: TrackedClock;
  clock: VirtualClock;
  yml: ServerlessYml;
  /** Repository root: the ASL files and the handlers are read from it. */
  root: string;
  naming: LocalNaming;
}

/** Registers the machines of `serverless.yml` on `sfn`. */
export function createLocalWorkflow(options: LocalWorkflowOptions): LocalWorkflow {
  const tasks = new TaskTracker(options.root);
  const arns = new Map<string, string>();
  for (const machine of stateMachinesOf(options.yml, options.root, options.naming)) {
    const { stateMachineArn } = options.sfn.registerStateMachine({
      name: machine.name,
      definition: machine.definition,
      substitutions: machine.substitutions,
      resolveTask: (arn) => {
        const fn = machine.functions.get(arn);
        return fn ? tasks.handlerFor(fn.handler) : undefined;
      },
    });
    arns.set(machine.logicalId, stateMachineArn);
  }
  return {
    stateMachineArns: arns,
    tasks,
    driver: new WorkflowDriver(options.clock, options.timers, tasks),
    dynamoDbFaults: dynamoDbFaults(),
    stepFunctionsFaults: stepFunctionsFaults(),
  };
}

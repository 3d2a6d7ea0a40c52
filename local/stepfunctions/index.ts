/** The local Step Functions endpoint: public surface. */

export { substituteDefinition } from './definition/substitute.js';
export {
  createStepFunctionsEmulator,
  type ExecutionStats,
  type RegisterStateMachineOptions,
  type StepFunctionsEmulator,
  type StepFunctionsEmulatorOptions,
} from './emulator.js';
export { SfnError, type SfnErrorName } from './errors.js';
export type { StepFunctionsClock } from './runtime/clock.js';
export type { ExecutionStatus } from './runtime/execution.js';
export type { HistoryEvent } from './runtime/history.js';
export { functionArnOf, type TaskHandler, type TaskResolver } from './runtime/lambda.js';

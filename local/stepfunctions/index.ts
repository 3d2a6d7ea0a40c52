/** The local Step Functions endpoint: public surface. */

export {
  createStepFunctionsEmulator,
  type StepFunctionsEmulator,
  type StepFunctionsEmulatorOptions,
} from './emulator.js';

export type { StepFunctionsClock } from './runtime/clock.js';

export type { TaskHandler, TaskResolver } from './runtime/lambda.js';

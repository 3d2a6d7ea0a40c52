/** What the handlers of one execution's Task and Wait states share. */
import type { SfnLocation } from '../arn.js';
import type { StepFunctionsClock } from './clock.js';
import type { ExecutionHistory } from './history.js';
import type { TaskResolver } from './lambda.js';
import type { TaskTokenRegistry } from './task-tokens.js';

export interface TaskEnvironment {
  clock: StepFunctionsClock;
  location: SfnLocation;
  executionArn: string;
  /** Aborts when the execution is stopped or times out. */
  signal: AbortSignal;
  history: ExecutionHistory;
  tokens: TaskTokenRegistry;
  resolveTask: TaskResolver;
  /** Source of `JitterStrategy: FULL` randomness. */
  random: () => number;
}

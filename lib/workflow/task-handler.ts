/**
 * The shape of every workflow Lambda: parse the task event with zod, run
 * one use case with the process's dependencies, return the next state. No
 * try/catch: whatever the use case throws reaches Step Functions, whose
 * Retry and Catch match the error's `name` (a domain error name, or a
 * Lambda error). Each invocation logs one line with the release, wave and
 * outcome, so a release can be followed across tasks in the logs.
 */
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { toFieldProblems } from '../domain/iot-job-settings.js';
import { logger } from '../http/logger.js';
import { workflowDeps } from './deps.js';
import type { WorkflowDeps } from './ports.js';

/** A workflow Lambda entry point. */
export type WorkflowTaskHandler<R> = (event: unknown, context: Context) => Promise<R>;

/** Builds the handler of one workflow task from its event schema and its use case. */
export function workflowTask<E extends { state: { releaseId: string; waveNumber?: number } }, R>(
  schema: z.ZodType<E>,
  useCase: (deps: WorkflowDeps, event: E) => Promise<R>,
  deps: () => WorkflowDeps = workflowDeps,
): WorkflowTaskHandler<R> {
  return async (event, context) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      throw new ValidationError(
        'The workflow task received a malformed event.',
        toFieldProblems(parsed.error),
      );
    }
    const { releaseId, waveNumber } = parsed.data.state;
    const log = logger();
    const keys = { releaseId, waveNumber, task: context.functionName, awsRequestId: context.awsRequestId };
    try {
      const result = await useCase(deps(), parsed.data);
      log.info('workflow task done', { ...keys, next: (result as { next?: unknown } | undefined)?.next });
      return result;
    } catch (error) {
      log.warn('workflow task failed', {
        ...keys,
        error: error instanceof Error ? error.name : String(error),
      });
      throw error;
    }
  };
}

/** The answer of `POST /releases?dryRun=true` (a release plan), as the CLI reads it. */
import * as z from 'zod';
import { readAnswer } from './answers.js';
import type { ApiAnswer } from './client.js';

const rangeSchema = z.looseObject({ min: z.number(), max: z.number() });

const planSchema = z.looseObject({
  releaseId: z.string(),
  jobTemplateId: z.string(),
  plannedAt: z.string(),
  waves: z.array(
    z.looseObject({
      waveNumber: z.number(),
      percentage: z.number().optional(),
      thingCount: z.number(),
      startsAt: z.string(),
      endsAt: z.string(),
      durationMinutes: rangeSchema,
      bakeTimeMinutes: z.number(),
      requireApproval: z.boolean(),
      createJob: z.looseObject({ jobId: z.string(), targets: z.array(z.string()) }),
    }),
  ),
  estimate: z.looseObject({
    durationMinutes: rangeSchema,
    gates: z.number(),
    iotCalls: z.record(z.string(), rangeSchema),
    stepFunctions: z.looseObject({ transitions: rangeSchema, costUsd: rangeSchema }),
  }),
  warnings: z.array(z.looseObject({ code: z.string(), message: z.string(), wave: z.number().optional() })),
});

/** A release plan as the CLI shows it. */
export type PlanAnswer = z.output<typeof planSchema>;

/** @throws UnexpectedAnswerError when the answer is not a plan */
export function readPlan(answer: ApiAnswer): PlanAnswer {
  return readAnswer(planSchema, answer, 'planning a release');
}

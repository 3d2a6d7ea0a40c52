/** GetExecutionHistory: events in order (or reversed), paginated, with or without input/output data. */
import { z } from 'zod';
import { paginate } from '../pagination.js';
import type { HistoryEvent } from '../runtime/history.js';
import { arnField, maxResultsField, nextTokenField } from './fields.js';
import { defineOperation } from './operation.js';

const DATA_FIELDS = ['input', 'output', 'parameters'];

function withoutData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
    copy[key] = Object.fromEntries(Object.entries(value).filter(([field]) => !DATA_FIELDS.includes(field)));
  }
  return copy;
}

export const getExecutionHistory = defineOperation(
  z.object({
    executionArn: arnField,
    maxResults: maxResultsField,
    reverseOrder: z.boolean().optional(),
    nextToken: nextTokenField,
    includeExecutionData: z.boolean().optional(),
  }),
  (store, input) => {
    const execution = store.executionByArn(input.executionArn);
    const events = input.reverseOrder ? [...execution.history.events].reverse() : execution.history.events;
    const scope = `history:${execution.arn}:${input.reverseOrder ? 'r' : 'f'}`;
    const { page, nextToken } = paginate(events, (e) => e.id, scope, input.maxResults, input.nextToken);
    return {
      events: input.includeExecutionData === false ? page.map(withoutData) : page,
      ...(nextToken !== undefined && { nextToken }),
    };
  },
);

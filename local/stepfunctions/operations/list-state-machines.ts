/** ListStateMachines: by name, paginated. */
import { z } from 'zod';
import { paginate } from '../pagination.js';
import { epochSeconds } from '../protocol.js';
import { maxResultsField, nextTokenField } from './fields.js';
import { defineOperation } from './operation.js';

export const listStateMachines = defineOperation(
  z.object({ maxResults: maxResultsField, nextToken: nextTokenField }),
  (store, input) => {
    const machines = [...store.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(
      machines,
      (m) => m.name,
      'machines',
      input.maxResults,
      input.nextToken,
    );
    return {
      stateMachines: page.map((m) => ({
        stateMachineArn: m.arn,
        name: m.name,
        type: m.type,
        creationDate: epochSeconds(m.creationDate),
      })),
      ...(nextToken !== undefined && { nextToken }),
    };
  },
);

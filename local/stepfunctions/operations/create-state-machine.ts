/** CreateStateMachine: idempotent for an identical request, `StateMachineAlreadyExists` otherwise. */
import { z } from 'zod';
import { assertValidSfnName } from '../arn.js';
import { sfnError } from '../errors.js';
import { epochSeconds } from '../protocol.js';
import { defineOperation } from './operation.js';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

export const createStateMachine = defineOperation(
  z.object({
    name: z.string(),
    definition: z.string().min(1).max(1048576),
    roleArn: z.string().min(1).max(256),
    type: z.enum(['STANDARD', 'EXPRESS']).optional(),
    loggingConfiguration: z.unknown().optional(),
    tracingConfiguration: z.unknown().optional(),
    tags: z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).optional(),
    publish: z.boolean().optional(),
    versionDescription: z.string().optional(),
    encryptionConfiguration: z.unknown().optional(),
  }),
  (store, input) => {
    assertValidSfnName(input.name);
    if (!ROLE_ARN.test(input.roleArn)) {
      throw sfnError(
        'InvalidArn',
        `Invalid Arn: 'Resource type not valid in this context: ${input.roleArn}'`,
      );
    }
    const type = input.type ?? 'STANDARD';
    const existing = store.machines.get(input.name);
    if (existing) {
      if (
        existing.definition !== input.definition ||
        existing.roleArn !== input.roleArn ||
        existing.type !== type
      ) {
        throw sfnError('StateMachineAlreadyExists', `State Machine Already Exists: '${existing.arn}'`);
      }
      return { stateMachineArn: existing.arn, creationDate: epochSeconds(existing.creationDate) };
    }
    const machine = store.putMachine({
      name: input.name,
      definition: input.definition,
      roleArn: input.roleArn,
      type,
      resolveTask: store.defaultResolveTask,
    });
    return { stateMachineArn: machine.arn, creationDate: epochSeconds(machine.creationDate) };
  },
);

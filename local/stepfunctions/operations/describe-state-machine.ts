/** DescribeStateMachine. */
import { z } from 'zod';
import { epochSeconds } from '../protocol.js';
import { arnField } from './fields.js';
import { defineOperation } from './operation.js';

export const describeStateMachine = defineOperation(
  z.object({ stateMachineArn: arnField, includedData: z.enum(['ALL_DATA', 'METADATA_ONLY']).optional() }),
  (store, input) => {
    const machine = store.machineByArn(input.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definition,
      roleArn: machine.roleArn,
      type: machine.type,
      creationDate: epochSeconds(machine.creationDate),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  },
);

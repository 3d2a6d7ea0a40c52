import { readFileSync } from 'node:fs';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionArn, type SfnHarness, startSfnHarness } from '../../support/stepfunctions.js';

const RELEASE_ASL = 'state-machines/release.asl.json';

describe('the release workflow definition', () => {
  let h: SfnHarness;
  beforeAll(async () => {
    h = await startSfnHarness();
  });
  afterAll(() => h.close());

  it('registers from its file with one substitution per placeholder, each Task naming a resolvable function', async () => {
    const placeholders = [
      ...new Set([...readFileSync(RELEASE_ASL, 'utf8').matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!)),
    ];
    expect(placeholders.length).toBeGreaterThan(0);
    const substitutions = Object.fromEntries(
      placeholders.map((name) => [name, functionArn(`fleetwave-local-${name}`)]),
    );
    const { stateMachineArn } = h.emulator.registerStateMachine({
      name: 'fleetwave-local-release',
      definitionFile: RELEASE_ASL,
      substitutions,
      resolveTask: () => async () => ({}),
    });
    const described = await h.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.definition).not.toMatch(/\$\{/);
    const states = Object.values(
      (
        JSON.parse(described.definition!) as {
          States: Record<string, { Type: string; Parameters?: { FunctionName?: string } }>;
        }
      ).States,
    );
    const functionNames = states.flatMap((s) =>
      s.Parameters?.FunctionName ? [s.Parameters.FunctionName] : [],
    );
    expect(new Set(functionNames)).toEqual(new Set(Object.values(substitutions)));
  });
});

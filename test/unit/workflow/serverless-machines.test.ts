/**
 * The local stack reads the state machines from serverless.yml: names,
 * definitions from `${file(...)}`, and substitutions resolved to the local
 * ARNs of the functions they name, with each function's handler.
 */
import { describe, expect, it } from 'vitest';
import { parseServerlessYml, projectRoot, readServerlessYml } from '../../../local/serverless-yml.js';
import { functionLogicalId, stateMachinesOf } from '../../../local/workflow/index.js';

const naming = { region: 'eu-west-1', accountId: '111122223333', stage: 'local' };

describe('state machines from serverless.yml', () => {
  it("names functions' logical ids as the Framework does", () => {
    expect(functionLogicalId('startWave')).toBe('StartWaveLambdaFunction');
    expect(functionLogicalId('start-wave')).toBe('StartDashwaveLambdaFunction');
    expect(functionLogicalId('start_wave')).toBe('StartUnderscorewaveLambdaFunction');
  });

  it("registers the release machine from its ASL file with every task's local function", async () => {
    const [machine, ...others] = stateMachinesOf(await readServerlessYml(), projectRoot, naming);
    expect(others).toEqual([]);
    expect(machine?.logicalId).toBe('ReleaseStateMachine');
    expect(machine?.name).toBe('fleetwave-local-release');
    expect(JSON.parse(machine?.definition ?? '{}').StartAt).toBe('StartRelease');
    expect(machine?.substitutions.StartWaveFunctionArn).toBe(
      'arn:aws:lambda:eu-west-1:111122223333:function:fleetwave-local-startWave',
    );
    const startWave = machine?.functions.get(machine.substitutions.StartWaveFunctionArn ?? '');
    expect(startWave).toMatchObject({ key: 'startWave', handler: 'functions/workflow/start-wave.handler' });
    expect(machine?.functions.size).toBe(Object.keys(machine?.substitutions ?? {}).length);
  });

  it('refuses a substitution the local stack cannot resolve, naming it', () => {
    const yml = parseServerlessYml(`
service: s
provider: { name: aws }
resources:
  Resources:
    M:
      Type: AWS::StepFunctions::StateMachine
      Properties:
        Definition: { StartAt: A, States: { A: { Type: Succeed } } }
        DefinitionSubstitutions:
          Bucket: !GetAtt SomeBucket.Arn
`);
    expect(() => stateMachinesOf(yml, projectRoot, naming)).toThrow(/M\.DefinitionSubstitutions\.Bucket/);
  });
});

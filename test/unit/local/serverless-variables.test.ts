// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless variables, not JavaScript placeholders, are the subject here.
import { describe, expect, it } from 'vitest';
import { functionRulesOf } from '../../../local/eventbridge/index.js';
import { resolveVariables } from '../../../local/serverless-variables.js';
import { parseServerlessYml, readServerlessYml } from '../../../local/serverless-yml.js';
import { topicResourcesOf } from '../../../local/sns/index.js';
import { stateMachinesOf } from '../../../local/workflow/serverless-machines.js';

const yml = parseServerlessYml(`
service: fleetwave
provider:
  name: aws
  stage: \${opt:stage, 'dev'}
  region: \${opt:region, 'us-east-1'}
custom:
  prefix: \${self:service}-\${self:provider.stage}
  names: { local: from-stage-map }
`);
const target = { stage: 'local', region: 'eu-west-1', env: { TEAM: 'ops' } };

describe('resolveVariables', () => {
  it.each([
    ['${self:service}-${sls:stage}-release-requested', 'fleetwave-local-release-requested'],
    ['${self:provider.stage}', 'local'],
    ["${opt:stage, 'dev'}-${opt:region}", 'local-eu-west-1'],
    ['${self:custom.prefix}-x', 'fleetwave-local-x'],
    ['${self:custom.names.${sls:stage}}', 'from-stage-map'],
    ["${env:TEAM}-${env:MISSING, 'none'}", 'ops-none'],
    ['${env:MISSING, self:service}', 'fleetwave'],
    ['plain-name', 'plain-name'],
  ])('%s → %s', (value, expected) => {
    expect(resolveVariables(value, yml, target)).toBe(expected);
  });

  it('refuses a variable the local stack cannot know, naming it', () => {
    expect(() => resolveVariables('${ssm:/fleetwave/name}', yml, target)).toThrow(
      /cannot resolve \$\{ssm:\/fleetwave\/name\}/,
    );
    expect(() => resolveVariables('${self:custom.absent}', yml, target)).toThrow(/self:custom\.absent/);
  });
});

describe('names read from serverless.yml', () => {
  it('leave no unresolved variable in rule, topic and state machine names', async () => {
    const project = await readServerlessYml();
    const rules = functionRulesOf(project, 'local', 'us-east-1');
    expect(rules.map((r) => r.name)).toContain('fleetwave-local-release-requested');
    const names = [
      ...rules.map((r) => r.name),
      ...rules.map((r) => r.eventBus),
      ...topicResourcesOf(project, 'local', 'us-east-1').map((t) => t.topicName),
      ...stateMachinesOf(project, process.cwd(), {
        stage: 'local',
        region: 'us-east-1',
        accountId: '123456789012',
      }).map((m) => m.name),
    ];
    expect(names).toContain('fleetwave-local-release');
    for (const name of names) expect(name).not.toContain('${');
  });
});

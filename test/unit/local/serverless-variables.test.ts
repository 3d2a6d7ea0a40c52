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
  a: from-a
  port: 8080
  d0: x
  d1: \${self:custom.d0}\${self:custom.d0}
  d2: \${self:custom.d1}\${self:custom.d1}
  d3: \${self:custom.d2}\${self:custom.d2}
  d4: \${self:custom.d3}\${self:custom.d3}
  d5: \${self:custom.d4}\${self:custom.d4}
  d6: \${self:custom.d5}\${self:custom.d5}
  d7: \${self:custom.d6}\${self:custom.d6}
  d8: \${self:custom.d7}\${self:custom.d7}
  d9: \${self:custom.d8}\${self:custom.d8}
  loop: \${self:custom.loop}
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
    ['${env:MISSING, ${self:custom.a}}', 'from-a'],
    ["${env:MISSING, 'a,b'}-c", 'a,b-c'],
    ['${env:MISSING, "x}y"}', 'x}y'],
    ['${env:MISSING, 42}:${env:MISSING, true}:${env:MISSING, false}', '42:true:false'],
    ['${self:custom.port}', '8080'],
    ['${aws:region}/${aws:accountId}', 'eu-west-1/123456789012'],
    ['${env:MISSING, ${env:ALSO_MISSING, ${self:service}}}', 'fleetwave'],
    // Fallbacks are evaluated only when needed: the SSM parameter is never asked for.
    ['${env:TEAM, ${ssm:/fleetwave/team}}', 'ops'],
    ['${self:custom.d4}', 'x'.repeat(16)],
  ])('%s → %s', (value, expected) => {
    expect(resolveVariables(value, yml, target)).toBe(expected);
  });

  it('refuses a variable the local stack cannot know, naming it', () => {
    expect(() => resolveVariables('${ssm:/fleetwave/name}', yml, target)).toThrow(
      /cannot resolve \$\{ssm:\/fleetwave\/name\}/,
    );
    expect(() => resolveVariables('${self:custom.absent}', yml, target)).toThrow(/self:custom\.absent/);
    expect(() => resolveVariables("${env:MISSING, ssm:/x, 'last'}", yml, target)).not.toThrow();
  });

  it('takes ${aws:accountId} from the target when it names one', () => {
    expect(resolveVariables('${aws:accountId}', yml, { ...target, accountId: '000000000001' })).toBe(
      '000000000001',
    );
  });

  it('refuses a result that still holds ${', () => {
    expect(() => resolveVariables('name-${self:service', yml, target)).toThrow(/unresolved/);
    expect(() => resolveVariables("${env:MISSING, '${x}'}", yml, target)).toThrow(/unresolved/);
  });

  it('bounds the work of chains that double at each step, and of values that refer to themselves', () => {
    expect(() => resolveVariables('${self:custom.d9}', yml, target)).toThrow(/more than 1000 steps/);
    expect(() => resolveVariables('${self:custom.loop}', yml, target)).toThrow(/without end/);
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

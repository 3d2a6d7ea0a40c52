import { describe, expect, it } from 'vitest';
import { type Route, routesOf, selectRoute } from '../../../../local/http-api/routes.js';
import { parseServerlessYml, readServerlessYml } from '../../../../local/serverless-yml.js';

const yml = parseServerlessYml(`
service: demo
provider: { name: aws, timeout: 10 }
functions:
  listThings: { handler: f/list.handler, events: [{ httpApi: 'GET /things' }] }
  getThing: { handler: f/get.handler, timeout: 3, events: [{ httpApi: { method: get, path: '/things/{id}', authorizer: { type: aws_iam } } }] }
  special: { handler: f/special.handler, events: [{ httpApi: 'GET /things/special' }] }
  anyThing: { handler: f/any.handler, events: [{ httpApi: 'ANY /things/{id}' }] }
  files: { handler: f/files.handler, events: [{ httpApi: 'GET /files/{path+}' }] }
  fallback: { handler: f/fallback.handler, events: [{ httpApi: '*' }] }
  table: { handler: f/t.handler, environment: { TABLE: !Ref Table, ARN: !GetAtt Table.Arn } }
`);
const routes = routesOf(yml);
const select = (method: string, path: string) => {
  const m = selectRoute(routes, method, path);
  return m && { fn: m.route.functionKey, params: m.pathParameters };
};

describe('routesOf', () => {
  it('reads every httpApi event, in either form, with route keys as API Gateway writes them', () => {
    expect(routes.map((r: Route) => r.routeKey)).toEqual([
      'GET /things',
      'GET /things/{id}',
      'GET /things/special',
      'ANY /things/{id}',
      'GET /files/{path+}',
      '$default',
    ]);
  });

  it('takes the function timeout, else the provider one', () => {
    expect(routes.find((r) => r.functionKey === 'getThing')?.timeoutSeconds).toBe(3);
    expect(routes.find((r) => r.functionKey === 'listThings')?.timeoutSeconds).toBe(10);
  });

  it('marks the routes with the aws_iam authorizer, which the local API token stands in for', () => {
    expect(routes.filter((r) => r.iamAuthorizer).map((r) => r.routeKey)).toEqual(['GET /things/{id}']);
  });

  it('reads CloudFormation short-form intrinsics as their long form', () => {
    expect(yml.functions?.table).toMatchObject({
      environment: { TABLE: { Ref: 'Table' }, ARN: { 'Fn::GetAtt': ['Table', 'Arn'] } },
    });
  });

  it('serves the four job-template routes of the real serverless.yml', async () => {
    const keys = routesOf(await readServerlessYml()).map((r) => r.routeKey);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /job-templates',
        'GET /job-templates',
        'GET /job-templates/{jobTemplateId}',
        'DELETE /job-templates/{jobTemplateId}',
      ]),
    );
  });
});

describe('selectRoute', () => {
  it('prefers a literal segment to a path variable', () => {
    expect(select('GET', '/things/special')).toEqual({ fn: 'special', params: {} });
  });

  it('binds a path variable, percent-decoded', () => {
    expect(select('GET', '/things/a%2Fb')).toEqual({ fn: 'getThing', params: { id: 'a/b' } });
  });

  it('prefers an explicit method to ANY', () => {
    expect(select('GET', '/things/7')?.fn).toBe('getThing');
    expect(select('DELETE', '/things/7')?.fn).toBe('anyThing');
  });

  it('binds a greedy variable to the rest of the path', () => {
    expect(select('GET', '/files/a/b/c.txt')).toEqual({ fn: 'files', params: { path: 'a/b/c.txt' } });
  });

  it('falls back to $default when nothing else matches', () => {
    expect(select('POST', '/nowhere')).toEqual({ fn: 'fallback', params: {} });
  });

  it('matches nothing without a $default route', () => {
    const only = routes.filter((r) => r.routeKey !== '$default');
    expect(selectRoute(only, 'GET', '/nowhere')).toBeUndefined();
    expect(selectRoute(only, 'GET', '/things/')).toBeUndefined();
  });
});

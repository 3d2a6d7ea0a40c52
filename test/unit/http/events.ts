/** Builds API Gateway v2 events and Lambda contexts for handler unit tests, with the local gateway's builder. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { buildHttpApiEvent, buildLambdaContext } from '../../../local/http-api/event.js';

export interface TestRequest {
  method?: string;
  url?: string;
  routeKey?: string;
  body?: string | Buffer;
  contentType?: string;
  pathParameters?: Record<string, string>;
}

export function httpEvent(req: TestRequest = {}): APIGatewayProxyEventV2 {
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : (req.body ?? Buffer.alloc(0));
  return buildHttpApiEvent(
    {
      method: req.method ?? 'POST',
      url: req.url ?? '/things',
      headers: { host: '127.0.0.1:3000', 'content-type': req.contentType ?? 'application/json' },
      body,
      sourceIp: '127.0.0.1',
    },
    {
      routeKey: req.routeKey ?? 'POST /things',
      pathParameters: req.pathParameters ?? {},
      timeEpoch: Date.UTC(2026, 0, 1),
      accountId: '123456789012',
      apiId: 'local',
    },
    'TESTREQUESTID00=',
  );
}

export function lambdaContext(): Context {
  return buildLambdaContext({
    functionName: 'fleetwave-test-fn',
    region: 'us-east-1',
    accountId: '123456789012',
    memorySize: 512,
    timeoutSeconds: 29,
  });
}

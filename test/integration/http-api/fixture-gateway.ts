/** The local gateway serving the fixture service, on a free port, with the tests' region and account. */
import { join } from 'node:path';
import { type HttpApi, type HttpApiOptions, startHttpApi } from '../../../local/http-api/server.js';

export function startFixtureGateway(options: Partial<HttpApiOptions> = {}): Promise<HttpApi> {
  return startHttpApi({
    port: 0,
    root: join(import.meta.dirname, 'fixture'),
    region: 'eu-west-1',
    accountId: '111122223333',
    ...options,
  });
}

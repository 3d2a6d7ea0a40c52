import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type AwsService, routeRequest } from '../../../local/aws-endpoint/router.js';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { createIotEmulator } from '../../../local/iot/index.js';

/** A request as the router sees it: a path, and the headers a client signed it with. */
function request(options: { url?: string; signedAs?: string; target?: string }): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.url = options.url ?? '/';
  if (options.signedAs) {
    req.headers.authorization = `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/${options.signedAs}/aws4_request, SignedHeaders=host, Signature=0`;
  }
  if (options.target) req.headers['x-amz-target'] = options.target;
  return req;
}

const service = (signingName: string, extra: Partial<AwsService> = {}): AwsService => ({
  signingName,
  handle: () => undefined,
  ...extra,
});

describe('AWS endpoint router', () => {
  const clocks: VirtualClock[] = [];
  afterEach(() => {
    for (const clock of clocks.splice(0)) clock.stop();
  });

  it('routes a request signed with either of a service’s two signing names to it', () => {
    const devices = service('devices', { otherSigningNames: ['device-api'] });
    const queue = service('queue');
    const services = [queue, devices];
    expect(routeRequest(services, request({ signedAs: 'devices' }))).toBe(devices);
    expect(routeRequest(services, request({ signedAs: 'device-api' }))).toBe(devices);
    expect(routeRequest(services, request({ signedAs: 'queue' }))).toBe(queue);
    expect(routeRequest(services, request({ signedAs: 'unknown' }))).toBeUndefined();
    expect(routeRequest(services, request({}))).toBeUndefined();
  });

  it('routes by path prefix and X-Amz-Target before the signing name', () => {
    const admin = service('admin', { pathPrefixes: ['/_admin/'] });
    const json = service('json', { targetPrefixes: ['JsonService_1'] });
    const services = [admin, json];
    expect(routeRequest(services, request({ url: '/_admin/x', signedAs: 'json' }))).toBe(admin);
    expect(routeRequest(services, request({ target: 'JsonService_1.Get', signedAs: 'admin' }))).toBe(json);
  });

  it('routes a path to the service with the longest matching prefix, whatever their order', () => {
    const admin = service('admin', { pathPrefixes: ['/_admin/'] });
    const files = service('files', { pathPrefixes: ['/_admin/files'] });
    expect(routeRequest([admin, files], request({ url: '/_admin/files/b/k' }))).toBe(files);
    expect(routeRequest([files, admin], request({ url: '/_admin/files/b/k' }))).toBe(files);
    expect(routeRequest([files, admin], request({ url: '/_admin/faults' }))).toBe(admin);
  });

  it('sends the device side signed iot-jobs-data to the jobs data plane, the same path signed iot to the control plane', () => {
    const clock = new VirtualClock({ start: 0 });
    clocks.push(clock);
    const iot = createIotEmulator({ clock });
    const services = [iot, iot.jobsDataPlane];
    const url = '/things/device-0/jobs/job-1';
    expect(routeRequest(services, request({ url, signedAs: 'iot-jobs-data' }))).toBe(iot.jobsDataPlane);
    expect(routeRequest(services, request({ url, signedAs: 'iot' }))).toBe(iot);
  });

  it('sends the IoT control plane signed by the SDK (iot) or the AWS CLI (execute-api) to the IoT emulator', () => {
    const clock = new VirtualClock({ start: 0 });
    clocks.push(clock);
    const iot = createIotEmulator({ clock });
    const services = [service('sns'), iot];
    expect(routeRequest(services, request({ url: '/things', signedAs: 'iot' }))).toBe(iot);
    expect(routeRequest(services, request({ url: '/things', signedAs: 'execute-api' }))).toBe(iot);
  });
});

/**
 * The broker turns Nagle's algorithm off on every connection: it answers a
 * request with two small packets back to back (PUBACK, then `/accepted`),
 * and with Nagle on the second would wait for the client's delayed ACK.
 */
import { Socket } from 'node:net';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createExternalThings, Device, type MqttStack, startMqttStack } from './mqtt-stack.js';

let stack: MqttStack;
beforeEach(async () => {
  stack = await startMqttStack();
  await createExternalThings(stack, 'fleet', ['device-0']);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await stack.close();
});

/** The local ports of the sockets `setNoDelay(true)` was called on. */
function noDelayPorts(): { ports: number[] } {
  const seen = { ports: [] as number[] };
  const original = Socket.prototype.setNoDelay;
  vi.spyOn(Socket.prototype, 'setNoDelay').mockImplementation(function (this: Socket, noDelay?: boolean) {
    if (noDelay !== false) seen.ports.push(this.localPort ?? 0);
    return original.call(this, noDelay);
  });
  return seen;
}

it('sets TCP_NODELAY on plain and mutual-TLS connections, on the broker side', async () => {
  const seen = noDelayPorts();
  const issued = await stack.certificates.device('ACTIVE', ['device-0']);
  const plain = await Device.connect(stack.mqttUrl, { clientId: 'device-0' });
  const tls = await Device.connect(stack.mqttsUrl, {
    clientId: 'device-0-tls',
    ca: stack.certificates.caPem,
    cert: issued.certPem,
    key: issued.keyPem,
    rejectUnauthorized: true,
  });
  try {
    expect(seen.ports).toContain(stack.broker.port);
    expect(seen.ports).toContain(stack.broker.tlsPort);
  } finally {
    await plain.close();
    await tls.close();
  }
});

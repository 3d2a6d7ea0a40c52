/**
 * The certificates the local IoT makes work for mutual TLS with Node's tls,
 * as the MQTT broker will use them: the server presents its certificate for
 * 127.0.0.1 and localhost, the client the one CreateKeysAndCertificate made,
 * both verified against the local CA; the server then asks `check()`.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { AttachThingPrincipalCommand, CreateKeysAndCertificateCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../local/iot/certificates/certificate-authority.js';
import type { CertificateCheck, DeviceCertificates } from '../../../local/iot/index.js';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';

describe('device certificates over mutual TLS', () => {
  let ep: IotEndpoint;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    ep = await startIotEndpoint();
    ep.emulator.registry.things.createThing({ thingName: 'device-1' });
    // What the MQTT broker is given.
    const certificates: DeviceCertificates = ep.emulator.certificates;
    await certificates.ready();
    server = createServer(
      {
        key: certificates.serverKeyPem,
        cert: certificates.serverCertPem,
        ca: certificates.caPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket) => {
        const answer: CertificateCheck = certificates.check(socket.getPeerCertificate().raw);
        socket.end(JSON.stringify(answer));
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server?.close();
    await ep?.close();
  });

  /**
   * Connects with a client certificate; resolves, once the socket closes, with
   * what the server answered, or `{ refused }` when the server sent nothing
   * (with TLS 1.3 a refused client certificate may show as an error or as a bare close).
   */
  function handshake(host: string, cert: string, key: string): Promise<unknown> {
    return new Promise((resolve) => {
      const socket: TLSSocket = connect({ host, port, ca: ep.emulator.certificates.caPem, cert, key });
      let text = '';
      let error: string | undefined;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('error', (e) => {
        error = e.message;
      });
      socket.on('close', () => resolve(text ? JSON.parse(text) : { refused: error ?? 'closed' }));
    });
  }

  it('a device with an ACTIVE certificate connects to 127.0.0.1 and is told its things', async () => {
    const created = await ep.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await ep.iot.send(
      new AttachThingPrincipalCommand({ thingName: 'device-1', principal: created.certificateArn }),
    );
    const answer = await handshake('127.0.0.1', created.certificatePem!, created.keyPair!.PrivateKey!);
    expect(answer).toEqual({
      ok: true,
      certificateId: created.certificateId,
      certificateArn: created.certificateArn,
      things: ['device-1'],
    });
  });

  it('the server certificate also verifies for localhost', async () => {
    const created = await ep.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const answer = await handshake('localhost', created.certificatePem!, created.keyPair!.PrivateKey!);
    expect(answer).toMatchObject({ ok: true, certificateId: created.certificateId });
  });

  it('an INACTIVE certificate passes the handshake but check() refuses it', async () => {
    const created = await ep.iot.send(new CreateKeysAndCertificateCommand({}));
    const answer = await handshake('127.0.0.1', created.certificatePem!, created.keyPair!.PrivateKey!);
    expect(answer).toMatchObject({ ok: false });
  });

  it('a certificate from another CA fails the handshake', async () => {
    const other = await (await CertificateAuthority.open()).issueDeviceCertificate();
    const answer = (await handshake('127.0.0.1', other.certificatePem, other.privateKeyPem)) as {
      refused?: string;
    };
    expect(answer.refused).toBeDefined();
  });
});

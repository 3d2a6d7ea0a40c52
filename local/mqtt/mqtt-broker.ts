/**
 * The local stack's MQTT broker: aedes on 127.0.0.1, on a plain TCP port
 * (no identity, loopback only) and a mutual-TLS port (a client certificate
 * issued by the local CA, ACTIVE, limited to its things' jobs topics),
 * serving AWS's jobs topics over the device side of the job store and
 * publishing the job events to whoever subscribed to them.
 *
 * What a client cannot do to the stack: a malformed packet or a packet over
 * {@link maxPacketBytes} drops that client's connection only; a client that
 * stops reading never delays the others ({@link BoundedConnection}) and is
 * dropped once {@link clientBufferBytes} wait for it, or its socket stayed
 * full for {@link drainTimeoutMs}; one that vanishes
 * is forgotten with its subscriptions; a QoS 2 publish (AWS IoT has no
 * QoS 2) drops the connection, and a QoS 2 subscription is delivered at
 * QoS 1 (its SUBACK still says 2: aedes acknowledges what was asked).
 * aedes 1.x speaks MQTT 3.1 and 3.1.1 only: a client whose CONNECT asks
 * for level 5 is served through {@link Mqtt5Adapter}, which translates
 * each packet between the two.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import type { Clock } from '../clock/clock.js';
import type { DeviceJobs } from '../iot/device-jobs/device-jobs.js';
import type { JobEventBus } from '../iot/events/job-event-bus.js';
import type { DeviceCertificates } from '../iot/index.js';
import { BoundedConnection, clientBufferBytes } from './bounded-connection.js';
import { ConnectionPrincipals } from './connection-principals.js';
import { bridgeJobEvents } from './job-events-bridge.js';
import { JobsNotifications } from './jobs-notifications.js';
import { JobsRequests } from './jobs-requests.js';
import { parseJobsTopic } from './jobs-topics.js';
import { connectLevel, Mqtt5Adapter } from './mqtt5-adapter.js';
import { guardPacketSize, maxPacketBytes, maxPayloadBytes } from './packet-size-guard.js';
import { maxSubscriptionsPerClient, SubscriptionCap } from './subscription-cap.js';
import { SubscriptionIndex } from './subscription-index.js';
import { allowedFor } from './topic-policy.js';

/** A client whose socket stays full this long (it stopped reading its answers) is dropped. */
const drainTimeoutMs = 10_000;

/** A connection that sends no CONNECT within this time is dropped. */
const connectTimeoutMs = 10_000;

export interface MqttBrokerOptions {
  deviceJobs: DeviceJobs;
  events: JobEventBus;
  /** The stack's virtual clock: the `timestamp` of every answer. */
  clock: Clock;
  /**
   * Plain TCP port. A number is listened on, and `0` there means a free port
   * (what tests use); `false` means no plain listener. (On the command line
   * `--mqtt-port 0` turns the port off: the command maps it to `false`.)
   */
  port: number | false;
  /** Mutual-TLS port, as {@link port}; needs {@link certificates}. */
  tlsPort: number | false;
  /** The CA, the broker's identity and the client check; required with a TLS port. */
  certificates?: DeviceCertificates;
  /** Loopback only. */
  host?: '127.0.0.1';
  /** Bytes a client may leave unread before it is dropped; {@link clientBufferBytes} by default. */
  clientBufferBytes?: number;
}

export interface MqttBroker {
  /** The bound plain port, undefined when off. */
  readonly port: number | undefined;
  /** The bound TLS port, undefined when off. */
  readonly tlsPort: number | undefined;
  /** Stops listening, drops every client, stops following the job store; safe to call twice. */
  close(): Promise<void>;
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/**
 * Reads the first bytes of a connection until its CONNECT's protocol level
 * is known, puts them back, and calls `then`. A connection that has not
 * got that far within {@link connectTimeoutMs} is dropped, however it
 * trickles bytes (the deadline is absolute; from then on aedes' own
 * absolute CONNECT deadline runs), and so is a CONNECT whose protocol name
 * is neither `MQTT` nor `MQIsdp`.
 */
function whenConnectLevelKnown(socket: Socket, then: (level: number | 'unknown') => void): void {
  let head = Buffer.alloc(0);
  const deadline = setTimeout(() => socket.destroy(), connectTimeoutMs);
  socket.once('close', () => clearTimeout(deadline));
  const sniff = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const level = connectLevel(head);
    if (level === undefined) return;
    socket.off('data', sniff);
    clearTimeout(deadline);
    if (level === 'invalid') {
      socket.destroy();
      return;
    }
    socket.pause();
    socket.unshift(head);
    then(level);
  };
  socket.on('data', sniff);
}

/** What the broker reads of aedes' persistence (aedes' types leave it `any`). */
interface SessionStore {
  subscriptionsByClient(client: { id: string }): Promise<{ topic: string }[]>;
}

const notAuthorized = (reason: string): AuthenticateError =>
  Object.assign(new Error(`not authorized: ${reason}`), { returnCode: 5 as const });

/** Starts the broker; rejects (EADDRINUSE, ...) with nothing left listening. */
export async function startMqttBroker(options: MqttBrokerOptions): Promise<MqttBroker> {
  const host = options.host ?? '127.0.0.1';
  if (options.tlsPort !== false && options.certificates === undefined) {
    throw new Error('The MQTT TLS port needs the device certificates');
  }
  const principals = new ConnectionPrincipals(options.certificates);
  const subscriptions = new SubscriptionIndex<object>();
  const thingsOf = (client: Client | null): readonly string[] | undefined => {
    if (client === null) return undefined;
    const check = principals.check(client.conn);
    if (check === undefined) return undefined;
    return check.ok ? check.things : [];
  };

  const subscriptionCap = new SubscriptionCap(maxSubscriptionsPerClient);
  const broker = await Aedes.createBroker({
    connectTimeout: connectTimeoutMs,
    authenticate: (client, _username, _password, done) => {
      const check = principals.check(client.conn);
      if (check === undefined || check.ok) done(null, true);
      else done(notAuthorized(check.reason), false);
    },
    authorizePublish: (client, packet, done) => {
      const things = thingsOf(client);
      if (packet.qos === 2) return done(new Error('QoS 2 is not supported'));
      if (packet.payload.length > maxPayloadBytes) return done(new Error('payload over 128 KB'));
      // A retained message under `$aws/` would be served to later subscribers as if the service sent it.
      if (packet.retain && (things !== undefined || packet.topic.startsWith('$aws/'))) {
        return done(new Error(`retained messages are not taken on ${packet.topic}`));
      }
      // AWS disconnects a client that publishes where its policy does not allow; a device
      // publishes requests only, never what the service publishes (answers, notifications).
      if (
        things !== undefined &&
        (!allowedFor(things, packet.topic) || parseJobsTopic(packet.topic) === undefined)
      ) {
        return done(new Error(`not authorized to publish on ${packet.topic}`));
      }
      done(null);
    },
    authorizeSubscribe: (client, subscription, done) => {
      const things = thingsOf(client);
      if (things !== undefined && !allowedFor(things, subscription.topic)) return done(null, null);
      if (!subscriptionCap.take(client, subscription.topic)) return done(null, null);
      done(null, subscription.qos > 1 ? { ...subscription, qos: 1 } : subscription);
    },
  });

  /**
   * Publishes made while a request is answered (the notifications its change causes), held until
   * the answer is written: aedes drops, as a duplicate, a message to a client older than the last
   * one it delivered to it, and the answer is made after them but delivered first.
   */
  let heldBack: (() => void)[] | undefined;
  const publish = (topic: string, payload: object) => {
    if (heldBack !== undefined) {
      heldBack.push(() => publish(topic, payload));
      return;
    }
    const packet: PublishPacket = {
      cmd: 'publish',
      topic,
      payload: Buffer.from(JSON.stringify(payload)),
      qos: 1,
      dup: false,
      retain: false,
    };
    broker.publish(packet, () => {});
  };
  const requests = new JobsRequests(options.deviceJobs, options.clock, (error) =>
    console.error('fleetwave MQTT: a jobs request failed inside the local stack:', error),
  );
  broker.on('publish', (packet, client) => {
    if (client === null) return;
    const request = parseJobsTopic(packet.topic);
    if (request === undefined) return;
    heldBack = [];
    let answer: ReturnType<JobsRequests['answer']>;
    let held: (() => void)[];
    try {
      answer = requests.answer(packet.topic, request, Buffer.from(packet.payload));
    } finally {
      held = heldBack;
      heldBack = undefined;
    }
    // As AWS: the answer goes to the client that asked, subscribed to it or not, and to no one else.
    client.publish(
      {
        cmd: 'publish',
        topic: answer.topic,
        payload: Buffer.from(JSON.stringify(answer.payload)),
        qos: packet.qos === 0 ? 0 : 1,
        dup: false,
        retain: false,
      },
      () => {
        for (const later of held) later();
      },
    );
  });
  broker.on('subscribe', (granted, client) => {
    subscriptionCap.settled(client);
    // aedes reports refused filters with the SUBACK failure code 128 as their QoS.
    const refused = (qos: number) => qos === 128;
    subscriptions.add(
      client,
      granted.filter((s) => !refused(s.qos)).map((s) => s.topic),
    );
  });
  broker.on('unsubscribe', (filters, client) => subscriptions.remove(client, filters));
  // A persistent session (clean session 0; aws-crt's 3.1.1 default) gets its subscriptions back at
  // CONNECT without any 'subscribe' event: read them from aedes' own store.
  broker.on('client', (client) => {
    // A restored session's filters went through authorizeSubscribe without a 'subscribe' event.
    subscriptionCap.settled(client);
    if (client.clean) return;
    (broker as unknown as { persistence: SessionStore }).persistence
      .subscriptionsByClient({ id: client.id })
      .then(
        (restored) => {
          if (client.connecting || client.connected)
            subscriptions.add(
              client,
              restored.map((s) => s.topic),
            );
        },
        () => {},
      );
  });
  broker.on('clientDisconnect', (client) => subscriptions.drop(client));

  const stopNotifying = new JobsNotifications(
    options.deviceJobs,
    options.clock,
    (topic) => subscriptions.matches(topic),
    publish,
  ).start();
  const stopBridge = bridgeJobEvents(options.events, subscriptions, publish);
  const stopFollowingCertificates = principals.follow();

  const sockets = new Set<Socket>();
  /** Hands a connection to aedes, through the MQTT 5 adapter when its CONNECT asks for level 5. */
  const accept = (socket: Socket, tls: TLSSocket | undefined) => {
    sockets.add(socket);
    // Answers are small packets written back to back (PUBACK, then `/accepted`): with Nagle's
    // algorithm the second waits for the client's delayed ACK, some 40 ms per round trip.
    socket.setNoDelay(true);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    whenConnectLevelKnown(socket, (level) => {
      const connection = new BoundedConnection(level === 5 ? new Mqtt5Adapter(socket) : socket, {
        maxBufferedBytes: options.clientBufferBytes ?? clientBufferBytes,
        drainTimeoutMs,
      });
      if (tls) principals.addTls(tls, connection);
      broker.handle(connection);
      guardPacketSize(socket, maxPacketBytes);
    });
  };
  const servers: Server[] = [];
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      stopNotifying();
      stopBridge();
      stopFollowingCertificates();
      // A server's close waits for its connections: drop them as it stops accepting new ones.
      const stopped = Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
      for (const socket of sockets) socket.destroy();
      await stopped;
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    })();
    return closed;
  };

  try {
    let port: number | undefined;
    let tlsPort: number | undefined;
    if (options.port !== false) {
      const server = createTcpServer((socket) => accept(socket, undefined));
      servers.push(server);
      port = await listenOn(server, options.port, host);
    }
    if (options.tlsPort !== false && options.certificates !== undefined) {
      const { caPem, serverKeyPem, serverCertPem } = options.certificates;
      // A client without a certificate, or with one the CA did not issue, fails the handshake (a TLS alert);
      // one the CA issued but not ACTIVE is answered CONNACK 5 (not authorized) by `authenticate`.
      const server = createTlsServer(
        { key: serverKeyPem, cert: serverCertPem, ca: caPem, requestCert: true, rejectUnauthorized: true },
        (socket: TLSSocket) => accept(socket, socket),
      );
      // A refused handshake is the client's problem, not the stack's.
      server.on('tlsClientError', () => {});
      servers.push(server);
      tlsPort = await listenOn(server, options.tlsPort, host);
    }
    return { port, tlsPort, close };
  } catch (error) {
    await close();
    throw error;
  }
}

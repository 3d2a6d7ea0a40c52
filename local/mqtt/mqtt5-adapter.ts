/**
 * MQTT 5 clients on a 3.1.1 broker. aedes 1.x answers a CONNECT at protocol
 * level 5 with CONNACK 1 (unacceptable protocol version); mqtt-packet,
 * which it parses with, speaks 5. Between an MQTT 5 client and aedes this
 * adapter parses each packet in one version and writes it in the other:
 *
 * - client → broker: the CONNECT becomes level 4 (clean start 0 with a
 *   session expiry as a persistent session, otherwise a clean session:
 *   a session without expiry ends with its connection); properties are dropped (user properties, session expiry,
 *   response topic, correlation data: AWS's jobs topics use none, the
 *   `clientToken` in the payload correlates requests and answers); reason
 *   codes of acks are dropped; AUTH closes the connection;
 * - broker → client: CONNACK's return code becomes its reason code, a
 *   refused subscription 0x87 (not authorized), UNSUBACK gains a success
 *   reason code per filter, and the rest is written at level 5.
 *
 * The broker advertises no topic aliases, so a client uses none. What MQTT
 * 5 adds beyond 3.1.1 (session expiry, message expiry, shared
 * subscriptions, flow control, server-sent DISCONNECT reasons) is not there.
 */
import { Duplex } from 'node:stream';
import mqttPacket, { type IConnectPacket, type Packet } from 'mqtt-packet';

const v5 = { protocolVersion: 5 };
const v4 = { protocolVersion: 4 };

/** CONNACK return codes (3.1.1) to reason codes (5). */
const connackReason: Record<number, number> = { 0: 0, 1: 0x84, 2: 0x85, 3: 0x88, 4: 0x86, 5: 0x87 };

/** A packet from an MQTT 5 client as the 3.1.1 broker takes it; undefined to close the connection. */
function toBroker(packet: Packet): Packet | undefined {
  switch (packet.cmd) {
    case 'auth':
      return undefined;
    case 'connect': {
      // MQTT 5 takes a password without a user name, 3.1.1 does not; the broker checks neither.
      const { properties, will, password, ...rest } = packet;
      const { properties: _willProperties, ...willRest } = will ?? { properties: undefined };
      return {
        ...rest,
        protocolVersion: 4,
        protocolId: 'MQTT',
        // At 5 a session without a session expiry ends with the connection: a clean session at 3.1.1.
        clean: rest.clean || !outlivesConnection(properties),
        ...(password !== undefined && rest.username !== undefined && { password }),
        ...(will && { will: willRest as typeof will }),
      };
    }
    case 'subscribe':
      return {
        cmd: 'subscribe',
        messageId: packet.messageId,
        subscriptions: packet.subscriptions.map(({ topic, qos }) => ({ topic, qos })),
      };
    case 'publish':
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
    case 'unsubscribe':
    case 'disconnect': {
      const {
        properties: _properties,
        reasonCode: _reasonCode,
        ...rest
      } = packet as Packet & {
        reasonCode?: number;
        properties?: unknown;
      };
      return rest as Packet;
    }
    default:
      return packet;
  }
}

/**
 * The CONNACK reason code refusing a CONNECT that has no 3.1.1 form, or
 * undefined: an empty client id for a session that outlives the connection
 * names a session nobody could resume (0x85, client identifier not valid).
 */
function connectRefusal(packet: IConnectPacket): number | undefined {
  if (packet.clientId === '' && !packet.clean && outlivesConnection(packet.properties)) return 0x85;
  return undefined;
}

/** Whether a CONNECT's session outlives its connection (a session expiry interval over 0). */
const outlivesConnection = (properties: IConnectPacket['properties']): boolean =>
  (properties?.sessionExpiryInterval ?? 0) > 0;

/** A packet of the 3.1.1 broker as an MQTT 5 client takes it. */
function toClient(packet: Packet, unsubscribed: Map<number, number>): Packet {
  switch (packet.cmd) {
    case 'connack':
      return {
        cmd: 'connack',
        sessionPresent: packet.sessionPresent,
        reasonCode: connackReason[packet.returnCode ?? 0] ?? 0x80,
      };
    case 'suback':
      return { ...packet, granted: packet.granted.map((g) => (g === 128 ? 0x87 : g)) };
    case 'unsuback': {
      const count = unsubscribed.get(packet.messageId ?? 0) ?? 1;
      unsubscribed.delete(packet.messageId ?? 0);
      return { ...packet, granted: Array.from({ length: count }, () => 0) } as Packet;
    }
    default:
      return packet;
  }
}

/**
 * The broker's end of an MQTT 5 client's connection: what aedes reads is
 * 3.1.1, what it writes reaches the client as 5.
 */
export class Mqtt5Adapter extends Duplex {
  private readonly fromClient = mqttPacket.parser(v5);
  private readonly fromBroker = mqttPacket.parser(v4);
  /** Filters per UNSUBSCRIBE, by message id: a 5 UNSUBACK has a reason code for each. */
  private readonly unsubscribed = new Map<number, number>();
  /** The client's socket refused more: the broker's write waits for it to drain, so aedes sees a slow reader. */
  private full = false;

  constructor(private readonly socket: Duplex) {
    super();
    // A packet mqtt-packet cannot write in the other version (it throws) must cost that connection only:
    // a throw out of a parser's handler would reach the socket's 'data' handler and end the process.
    this.fromClient.on('packet', (packet: Packet) => {
      try {
        this.fromClientPacket(packet);
      } catch {
        this.destroy();
      }
    });
    this.fromBroker.on('packet', (packet: Packet) => {
      try {
        if (!socket.write(mqttPacket.generate(toClient(packet, this.unsubscribed), v5))) this.full = true;
      } catch {
        this.destroy();
      }
    });
    const fail = () => this.destroy();
    this.fromClient.on('error', fail);
    this.fromBroker.on('error', fail);
    socket.on('data', (chunk: Buffer) => this.fromClient.parse(chunk));
    socket.on('end', () => this.push(null));
    socket.on('close', fail);
    socket.on('error', fail);
  }

  private fromClientPacket(packet: Packet): void {
    if (packet.cmd === 'connect') {
      const refusal = connectRefusal(packet);
      if (refusal !== undefined) {
        // Answered here: at 3.1.1 the broker could not even be handed this CONNECT.
        const connack = mqttPacket.generate(
          { cmd: 'connack', sessionPresent: false, reasonCode: refusal },
          v5,
        );
        this.socket.end(connack, () => this.destroy());
        return;
      }
    }
    const translated = toBroker(packet);
    if (translated === undefined) return void this.destroy();
    if (packet.cmd === 'unsubscribe')
      this.unsubscribed.set(packet.messageId ?? 0, packet.unsubscriptions.length);
    if (!this.push(mqttPacket.generate(translated, v4))) this.socket.pause();
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.fromBroker.parse(chunk);
    if (this.full) {
      this.full = false;
      this.socket.once('drain', () => done());
    } else done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.socket.destroy();
    done(error);
  }
}

/**
 * The protocol level of a CONNECT at the start of `buffer`, or undefined
 * while too few bytes have arrived; `'unknown'` for bytes that are no
 * CONNECT (the broker refuses those itself), `'invalid'` for a CONNECT
 * whose protocol name is not 4 (`MQTT`) or 6 (`MQIsdp`) bytes long.
 */
export function connectLevel(buffer: Buffer): number | 'unknown' | 'invalid' | undefined {
  if (buffer.length === 0) return undefined;
  if (buffer[0] !== 0x10) return 'unknown';
  let at = 1;
  for (; at < buffer.length && at <= 4; at++) if ((buffer[at]! & 0x80) === 0) break;
  if (at > 4) return 'unknown';
  const nameAt = at + 1;
  if (buffer.length < nameAt + 2) return undefined;
  const nameLength = buffer.readUInt16BE(nameAt);
  if (nameLength !== 4 && nameLength !== 6) return 'invalid';
  const levelAt = nameAt + 2 + nameLength;
  return buffer.length > levelAt ? buffer[levelAt] : undefined;
}

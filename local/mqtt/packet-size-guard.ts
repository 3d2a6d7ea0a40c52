/**
 * Refuses MQTT packets larger than the broker takes, as soon as their fixed
 * header announces the size. aedes (through mqtt-packet) has no packet size
 * limit and buffers a packet until it is whole, so a client announcing
 * 256 MB would make the stack hold 256 MB; AWS IoT refuses messages over
 * 128 KB and disconnects.
 */
import type { Duplex } from 'node:stream';

/** AWS IoT Core's message size limit: 128 KB of payload. */
export const maxPayloadBytes = 128 * 1024;

/** The largest remaining length taken: the payload limit plus room for a topic and properties. */
export const maxPacketBytes = maxPayloadBytes + 1024;

/**
 * Watches the bytes the broker reads from `stream` and destroys the stream
 * when a packet announces more than `limit` bytes, or a length that is not
 * a valid MQTT variable byte integer. It only observes: with aedes reading
 * through `'readable'`, a `'data'` listener sees each chunk as it is read.
 */
export function guardPacketSize(stream: Duplex, limit = maxPacketBytes): void {
  let state: 'type' | 'length' | 'body' = 'type';
  let length = 0;
  let multiplier = 1;
  let remaining = 0;
  const refuse = () => {
    stream.removeListener('data', watch);
    stream.destroy();
  };
  function watch(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (state === 'body') {
        const skipped = Math.min(remaining, chunk.length - i);
        remaining -= skipped;
        i += skipped;
        if (remaining === 0) state = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (state === 'type') {
        state = 'length';
        length = 0;
        multiplier = 1;
        continue;
      }
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      // A length over the limit, or a fifth length byte (not an MQTT length at all).
      if (length > limit || ((byte & 0x80) !== 0 && multiplier > 128 ** 3)) {
        refuse();
        return;
      }
      if ((byte & 0x80) === 0) {
        remaining = length;
        state = remaining === 0 ? 'type' : 'body';
      }
    }
  }
  stream.on('data', watch);
}

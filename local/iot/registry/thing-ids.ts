/**
 * Thing ids (random UUIDs, as AWS gives them) kept as 16 bytes each in one
 * growing buffer instead of one 36-character string per thing, and written
 * out only when asked for. An id a snapshot brings back is kept as it was.
 */
import { randomFillSync } from 'node:crypto';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const hex = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export class ThingIds {
  private bytes = new Uint8Array(16 * 1024);
  private count = 0;
  /** Bytes up to here already hold random data: filled 64 KB at a time, not one id at a time. */
  private filled = 0;
  /** Restored ids that are not lower-case UUIDs, by position. */
  private readonly others = new Map<number, string>();

  /** Appends a new random version-4 UUID, or `restored` as it was; returns its position. */
  push(restored?: string): number {
    const position = this.count++;
    if (this.bytes.length < this.count * 16) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    const at = position * 16;
    if (at + 16 > this.filled) {
      this.filled = Math.min(this.bytes.length, at + 16 * 4096);
      randomFillSync(this.bytes, at, this.filled - at);
    }
    const slot = this.bytes.subarray(at, at + 16);
    if (restored === undefined) {
      slot[6] = (slot[6]! & 0x0f) | 0x40;
      slot[8] = (slot[8]! & 0x3f) | 0x80;
    } else if (uuidPattern.test(restored)) {
      slot.set(Buffer.from(restored.replaceAll('-', ''), 'hex'));
    } else {
      this.others.set(position, restored);
    }
    return position;
  }

  get(position: number): string {
    const other = this.others.get(position);
    if (other !== undefined) return other;
    const b = this.bytes;
    const at = position * 16;
    let out = '';
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
      out += hex[b[at + i]!];
    }
    return out;
  }
}

/**
 * Keeps one client's backpressure away from every other client. aedes
 * delivers a message to its subscribers with at most `concurrency`
 * deliveries in flight for the whole broker, and a delivery to a client
 * whose socket is full holds its place until the socket drains: a client
 * that stops reading while messages keep coming for it (it may publish them
 * itself) would stall the answers of everyone else. Between aedes and the
 * client's stream, this connection takes every write at once and keeps what
 * the client has not read yet, up to a byte cap; a client over the cap, or
 * whose stream stayed full for a while, is dropped alone.
 */
import { Duplex } from 'node:stream';

/** What waits for one client before it is dropped: a few answers with full 128 KB documents, many small ones. */
export const clientBufferBytes = 4 * 1024 * 1024;

export interface BoundedConnectionOptions {
  /** Bytes the client may leave unread. */
  maxBufferedBytes: number;
  /** How long the client's stream may stay full before the client is dropped. */
  drainTimeoutMs: number;
}

/** The broker's end of one client's stream: writes never wait; reads pass through with their own backpressure. */
export class BoundedConnection extends Duplex {
  private drainTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly inner: Duplex,
    private readonly options: BoundedConnectionOptions,
  ) {
    // A write is accepted whatever its size (up to the cap): aedes must never see `write()` return false.
    super({ writableHighWaterMark: options.maxBufferedBytes + 1 });
    inner.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('drain', () => this.stopDrainTimer());
    const fail = () => this.destroy();
    inner.on('close', fail);
    inner.on('error', fail);
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.inner.destroyed) {
      done();
      return;
    }
    if (!this.inner.write(chunk))
      this.drainTimer ??= setTimeout(() => this.destroy(), this.options.drainTimeoutMs);
    if (this.inner.writableLength > this.options.maxBufferedBytes) this.destroy();
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.inner.end(() => done());
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.stopDrainTimer();
    this.inner.destroy();
    done(error);
  }

  private stopDrainTimer(): void {
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
  }
}

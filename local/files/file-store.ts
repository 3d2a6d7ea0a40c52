/**
 * Where uploaded files live: in memory, or under `<data-dir>/files/` when
 * the stack has a data directory (kept across restarts). A body is read
 * once, straight into its place: kept as the chunks that arrived (memory
 * grows with what was sent, not with what a header announced), or streamed
 * to a temporary file renamed over the old one when complete, so a broken
 * upload never replaces a good file.
 */
import { randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** One stored file as listed. */
export interface StoredFile {
  bucket: string;
  key: string;
  size: number;
  /** Epoch ms (virtual clock) of the upload; the file's mtime for files found on disk at start. */
  lastModified: number;
}

export interface FileStore {
  /** Stores `body`, exactly `size` bytes long, as `bucket/key`, replacing what was there. */
  put(bucket: string, key: string, body: Readable, size: number, now: number): Promise<StoredFile>;
  /** The file and a fresh stream of its bytes, or undefined. */
  get(bucket: string, key: string): { file: StoredFile; open(): Readable } | undefined;
  list(): StoredFile[];
}

const id = (bucket: string, key: string) => `${bucket}/${key}`;

/** Bytes the in-memory store holds at most, uploads in flight included: a stack without a data directory stays small. */
const memoryBudgetBytes = 512 * 1024 * 1024;

/** An upload the store has no room for; nothing was stored. */
export class StoreFullError extends Error {
  override readonly name = 'StoreFullError';
}

/** Files kept in memory, each as the chunks it arrived in. */
export class MemoryFileStore implements FileStore {
  private readonly files = new Map<string, { file: StoredFile; chunks: Buffer[] }>();
  /** Bytes held by stored files and promised to uploads in flight. */
  private reserved = 0;

  constructor(private readonly budget = memoryBudgetBytes) {}

  async put(bucket: string, key: string, body: Readable, size: number, now: number): Promise<StoredFile> {
    // A file being replaced gives its room back once the new one is in.
    const replacing = this.files.get(id(bucket, key))?.file.size ?? 0;
    if (this.reserved - replacing + size > this.budget) {
      throw new StoreFullError(
        `The in-memory file store holds at most ${this.budget} bytes; start the stack with --data-dir to keep larger files on disk.`,
      );
    }
    this.reserved += size;
    try {
      const chunks: Buffer[] = [];
      let at = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (at + chunk.length > size) throw new Error('the body is longer than its Content-Length');
        chunks.push(chunk);
        at += chunk.length;
      }
      if (at !== size) throw new Error('the body ended before its Content-Length');
      const replaced = this.files.get(id(bucket, key));
      if (replaced) this.reserved -= replaced.file.size;
      const file = { bucket, key, size, lastModified: now };
      this.files.set(id(bucket, key), { file, chunks });
      return file;
    } catch (error) {
      this.reserved -= size;
      throw error;
    }
  }

  get(bucket: string, key: string) {
    const found = this.files.get(id(bucket, key));
    return found && { file: found.file, open: () => Readable.from(found.chunks) };
  }

  list(): StoredFile[] {
    return [...this.files.values()].map((f) => f.file);
  }
}

/** The file name of a key: percent-encoded into one name, a leading dot too, so no key is hidden or special. */
const fileNameOf = (key: string) => encodeURIComponent(key).replace(/^\./, '%2E');

/** The key of a file name, or undefined for a name no key gives (a stray file). */
function keyOfFileName(name: string): string | undefined {
  try {
    const key = decodeURIComponent(name);
    return fileNameOf(key) === name ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Files under a directory: `<root>/<bucket>/<key, percent-encoded into one
 * file name>`, uploads in flight under `<root>/.uploads/` (emptied at start:
 * what a stop cut short is never a file). Anything else found there (a
 * stray file, a name no key gives) is left alone and not served.
 */
export class DiskFileStore implements FileStore {
  private readonly files = new Map<string, StoredFile>();
  private readonly uploads: string;

  constructor(private readonly root: string) {
    this.uploads = join(root, '.uploads');
    rmSync(this.uploads, { recursive: true, force: true });
    mkdirSync(this.uploads, { recursive: true });
    for (const bucket of readdirSync(root, { withFileTypes: true })) {
      if (!bucket.isDirectory() || bucket.name === '.uploads') continue;
      for (const entry of readdirSync(join(root, bucket.name), { withFileTypes: true })) {
        const key = entry.isFile() ? keyOfFileName(entry.name) : undefined;
        if (key === undefined) continue;
        const stat = statSync(join(root, bucket.name, entry.name));
        this.files.set(id(bucket.name, key), {
          bucket: bucket.name,
          key,
          size: stat.size,
          lastModified: stat.mtimeMs,
        });
      }
    }
  }

  async put(bucket: string, key: string, body: Readable, size: number, now: number): Promise<StoredFile> {
    const dir = join(this.root, bucket);
    mkdirSync(dir, { recursive: true });
    const part = join(this.uploads, randomUUID());
    try {
      await pipeline(body, createWriteStream(part));
      if (statSync(part).size !== size) throw new Error('the body ended before its Content-Length');
      renameSync(part, join(dir, fileNameOf(key)));
    } catch (error) {
      rmSync(part, { force: true });
      throw error;
    }
    const file = { bucket, key, size, lastModified: now };
    this.files.set(id(bucket, key), file);
    return file;
  }

  get(bucket: string, key: string) {
    const file = this.files.get(id(bucket, key));
    const path = join(this.root, bucket, fileNameOf(key));
    return file && { file, open: () => createReadStream(path) };
  }

  list(): StoredFile[] {
    return [...this.files.values()];
  }
}

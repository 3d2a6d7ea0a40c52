/**
 * Where uploaded files live: in memory, or under `<data-dir>/files/` when
 * the stack has a data directory (kept across restarts). A body is read
 * once, straight into its place: into one buffer of its announced length,
 * or streamed to a temporary file renamed over the old one when complete,
 * so a broken upload never replaces a good file.
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

/** Files kept in memory, each in one buffer of its announced size. */
export class MemoryFileStore implements FileStore {
  private readonly files = new Map<string, { file: StoredFile; bytes: Buffer }>();

  async put(bucket: string, key: string, body: Readable, size: number, now: number): Promise<StoredFile> {
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (at + chunk.length > size) throw new Error('the body is longer than its Content-Length');
      chunk.copy(bytes, at);
      at += chunk.length;
    }
    if (at !== size) throw new Error('the body ended before its Content-Length');
    const file = { bucket, key, size, lastModified: now };
    this.files.set(id(bucket, key), { file, bytes });
    return file;
  }

  get(bucket: string, key: string) {
    const found = this.files.get(id(bucket, key));
    return found && { file: found.file, open: () => Readable.from([found.bytes]) };
  }

  list(): StoredFile[] {
    return [...this.files.values()].map((f) => f.file);
  }
}

/** Files under a directory: `<root>/<bucket>/<key, percent-encoded into one file name>`. */
export class DiskFileStore implements FileStore {
  private readonly files = new Map<string, StoredFile>();

  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
    for (const bucket of readdirSync(root)) {
      for (const name of readdirSync(join(root, bucket))) {
        const path = join(root, bucket, name);
        // What a stop cut short is left over: never a file.
        if (name.startsWith('.part-')) rmSync(path, { force: true });
        else {
          const stat = statSync(path);
          const key = decodeURIComponent(name);
          this.files.set(id(bucket, key), { bucket, key, size: stat.size, lastModified: stat.mtimeMs });
        }
      }
    }
  }

  async put(bucket: string, key: string, body: Readable, size: number, now: number): Promise<StoredFile> {
    const dir = join(this.root, bucket);
    mkdirSync(dir, { recursive: true });
    const part = join(dir, `.part-${randomUUID()}`);
    try {
      await pipeline(body, createWriteStream(part));
      if (statSync(part).size !== size) throw new Error('the body ended before its Content-Length');
      renameSync(part, join(dir, encodeURIComponent(key)));
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
    const path = join(this.root, bucket, encodeURIComponent(key));
    return file && { file, open: () => createReadStream(path) };
  }

  list(): StoredFile[] {
    return [...this.files.values()];
  }
}

/**
 * Reads the deployment zips `serverless package` writes: the entries a zip
 * carries (with their packed and unpacked sizes) and their bytes. Lambda
 * unpacks these zips as they are, so reading them, rather than the build
 * folder, measures exactly what is deployed. Stored and deflated entries
 * only, no ZIP64: what the packager writes for files of this size.
 */
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

/** One file inside a zip. */
export interface ZipEntry {
  /** Path inside the zip, `/`-separated, e.g. `functions/api/get-release.mjs`. */
  readonly name: string;
  readonly compressedBytes: number;
  readonly bytes: number;
  /** The file's unpacked contents. */
  readonly data: () => Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** Where the end-of-central-directory record starts: searched backwards, past a comment of up to 64 KiB. */
function endOfCentralDirectory(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error('not a zip file: no end-of-central-directory record');
}

function unpack(zip: Buffer, name: string, method: number, localHeader: number, size: number): Buffer {
  if (zip.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) throw new Error(`${name}: bad local header`);
  // The local header's own name and extra lengths, which may differ from the central directory's.
  const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
  const packed = zip.subarray(start, start + size);
  if (method === STORED) return Buffer.from(packed);
  if (method === DEFLATED) return inflateRawSync(packed);
  throw new Error(`${name}: unsupported compression method ${method}`);
}

/** The files in the zip at `path`, in central-directory order (directories left out). */
export async function readZip(path: string): Promise<ZipEntry[]> {
  const zip = await readFile(path);
  const end = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error(`${path}: bad central directory`);
    const method = zip.readUInt16LE(at + 10);
    const compressedBytes = zip.readUInt32LE(at + 20);
    const bytes = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    entries.push({
      name,
      compressedBytes,
      bytes,
      data: () => unpack(zip, name, method, localHeader, compressedBytes),
    });
  }
  return entries;
}

/**
 * Request bodies and job documents from files: JSON or YAML (`.yaml`,
 * `.yml`; YAML 1.2, so `yes` stays a string), or standard input for `-`.
 * Errors name the file and the place in it.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** The text of `path`, or of standard input when `path` is `-`. */
export async function readInputText(path: string, io: CliIo): Promise<string> {
  if (path === '-') return io.readStdin();
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new InputError(`cannot read ${path}: ${reason}`, ExitCode.NO_INPUT);
  }
}

function nameOf(path: string): string {
  return path === '-' ? 'standard input' : path;
}

/** Parses JSON text; the error names the file. */
export function parseJsonText(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${nameOf(path)} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Parses YAML text (JSON is YAML too); the error names the file, line and column.
 * The parser is loaded on first use: it is a quarter of the CLI's code, and
 * only commands reading a YAML file need it, not every start.
 */
async function parseYamlText(text: string, path: string): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    const message = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.code;
    throw new InputError(`${nameOf(path)} is not valid YAML${where}: ${message}`);
  }
  return doc.toJS();
}

/** Reads `path` (`-` for stdin) as JSON (`.json`) or YAML (anything else). */
async function readStructuredFile(path: string, io: CliIo): Promise<unknown> {
  const text = await readInputText(path, io);
  return path.toLowerCase().endsWith('.json') ? parseJsonText(text, path) : parseYamlText(text, path);
}

/** Reads a request body: a JSON or YAML file that must hold one object. */
export async function readRequestBody(path: string, io: CliIo): Promise<Record<string, unknown>> {
  const value = await readStructuredFile(path, io);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(`${nameOf(path)} must hold one object (a request body), not ${describe(value)}`);
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

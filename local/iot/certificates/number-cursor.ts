/**
 * Page cursors that carry one number (a sequence number, an offset) as
 * base64 text, the form AWS's markers take: opaque to a client, and a
 * cursor of one list is refused by another (each has its own prefix).
 */
import { invalidRequest } from '../errors.js';

export function encodeCursor(prefix: string, value: number): string {
  return Buffer.from(`${prefix}:${value}`).toString('base64');
}

/** The number in a cursor `encodeCursor(prefix, n)` made; InvalidRequestException naming `member` otherwise. */
export function decodeCursor(prefix: string, cursor: string, member: string): number {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const value = text.startsWith(`${prefix}:`) ? text.slice(prefix.length + 1) : '';
  if (!/^\d+$/.test(value)) throw invalidRequest(`The ${member} is not valid.`);
  return Number(value);
}

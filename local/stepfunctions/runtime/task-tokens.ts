/**
 * Task tokens of `.waitForTaskToken` tasks. A token stays known after its
 * task ends, so a late SendTaskSuccess gets `TaskTimedOut` as on AWS; a token
 * that decodes but was never issued here is `TaskDoesNotExist`; anything else
 * is `InvalidToken`.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sfnError } from '../errors.js';

/** What a waiting task does when its token is answered. */
export interface TaskTokenCallbacks {
  succeed(output: string): void;
  fail(error: string | undefined, cause: string | undefined): void;
  heartbeat(): void;
}

interface TokenRecord {
  callbacks: TaskTokenCallbacks | undefined;
}

const payloadSchema = z.object({ v: z.literal(1), x: z.string(), s: z.string(), n: z.string() });
const TOKEN_PREFIX = 'AQ';

export class TaskTokenRegistry {
  private readonly records = new Map<string, TokenRecord>();

  /** Issues a fresh token for one attempt of a task. */
  issue(executionArn: string, stateName: string, callbacks: TaskTokenCallbacks): string {
    const payload = { v: 1, x: executionArn, s: stateName, n: randomBytes(12).toString('hex') };
    const token = TOKEN_PREFIX + Buffer.from(JSON.stringify(payload)).toString('base64url');
    this.records.set(token, { callbacks });
    return token;
  }

  /** Ends a token's task: later answers get `TaskTimedOut`. */
  close(token: string): void {
    const record = this.records.get(token);
    if (record) record.callbacks = undefined;
  }

  /** The callbacks of a running task, or the AWS error for this token. */
  open(token: string): TaskTokenCallbacks {
    const record = this.records.get(token);
    if (!record) {
      if (!decodes(token)) throw sfnError('InvalidToken', "Invalid Token: 'Invalid token'");
      throw sfnError('TaskDoesNotExist', 'Task Does Not exist');
    }
    if (!record.callbacks)
      throw sfnError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    return record.callbacks;
  }
}

function decodes(token: string): boolean {
  if (!token.startsWith(TOKEN_PREFIX)) return false;
  try {
    const json: unknown = JSON.parse(
      Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'),
    );
    return payloadSchema.safeParse(json).success;
  } catch {
    return false;
  }
}

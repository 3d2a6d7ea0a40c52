/**
 * Every action a crash run sends (approve, reject, cancel; pause, resume and
 * retry as they come), with the answer it got. Each carries a comment no
 * other action has, so the history event it wrote (its reason quotes the
 * comment) can be told apart from every other: an answer is checked against
 * exactly the events it caused.
 */
import { type CrashAnswer, crashCall } from './crash-api.js';

/** An action of the release API that takes a `{comment}` body. */
export type ReleaseAction = 'approve' | 'reject' | 'cancel' | 'pause' | 'resume';

/** One action sent and what came back. */
export interface JournalEntry {
  readonly releaseId: string;
  readonly action: ReleaseAction;
  /** The comment sent, unique in the run. */
  readonly comment: string;
  /** The HTTP status, 0 when no answer came (the process died under the request). */
  readonly status: number;
  /** The error's `code` and `message` for a 4xx/5xx. */
  readonly answer: string;
  /** Which life of the stack (0 = the first) it was sent to. */
  readonly life: number;
  /** Whether it was the first request of that life, sent as soon as the banner was up. */
  readonly firstAfterStart: boolean;
}

/** The record of the run's actions; `send` is how shapes act. */
export class ActionJournal {
  readonly entries: JournalEntry[] = [];
  private next = 1;

  /** Sends `action` for `releaseId` with a fresh comment and records the answer. */
  async send(
    apiUrl: string,
    releaseId: string,
    action: ReleaseAction,
    where: { life: number; firstAfterStart: boolean },
  ): Promise<CrashAnswer> {
    const comment = `crash-${action}-${this.next++}`;
    const answer = await crashCall(apiUrl, 'POST', `/releases/${releaseId}/${action}`, { comment });
    this.entries.push({
      releaseId,
      action,
      comment,
      status: answer.status,
      answer:
        answer.status >= 400
          ? `${answer.json?.code ?? ''}: ${answer.json?.message ?? ''}`
          : (answer.error ?? ''),
      life: where.life,
      firstAfterStart: where.firstAfterStart,
    });
    return answer;
  }

  /** The entries of one release. */
  of(releaseId: string): JournalEntry[] {
    return this.entries.filter((e) => e.releaseId === releaseId);
  }
}

/**
 * The generic signed webhook: its body is a release request (the body of
 * `POST /releases`) with two optional members of its own: `idempotencyKey`
 * (or the `Idempotency-Key` header) and `sender`, who the signing system
 * says asked for the release. The release's creator is `webhook:<sender>`,
 * or `webhook` when the body names no sender. `sender` is inside the signed
 * body, so it is as trustworthy as the signature, and no more: any holder
 * of the generic secret may name any sender.
 */
import * as z from 'zod';
import { genericWebhookActor } from '../domain/actors.js';
import { ValidationError } from '../domain/errors.js';
import { type CiAction, isObject } from './ci-action.js';
import { releaseInputOf } from './release-input.js';

const senderSchema = z
  .string()
  .min(1, 'must be at least 1 character')
  .max(128, 'must be at most 128 characters')
  .regex(/^[\w.@:+/-]+$/, 'must match [A-Za-z0-9_.@:+/-]+');

/** @throws ValidationError naming every bad field (`sender` among them) */
export function genericAction(idempotencyHeader: string | undefined, payload: unknown): CiAction {
  const { sender, ...request } = isObject(payload) ? payload : { sender: undefined };
  const checked = senderSchema.optional().safeParse(sender);
  if (!checked.success) {
    throw new ValidationError('Invalid request: sender.', [
      { path: 'sender', message: checked.error.issues[0]?.message ?? 'is invalid' },
    ]);
  }
  const input = releaseInputOf(isObject(payload) ? request : payload, idempotencyHeader);
  return { kind: 'start', input: { ...input, actor: genericWebhookActor(checked.data) } };
}

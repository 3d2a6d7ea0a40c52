/**
 * POST /webhooks/generic: any system that can sign a request
 * (`X-Fleetwave-Signature: t=<unix>,v1=<hex>`, at most 5 minutes old) sends
 * a release request, exactly the body of `POST /releases`, optionally with
 * an `idempotencyKey` member (or the `Idempotency-Key` header).
 */
import { releaseInputOf } from '../../lib/triggers/release-input.js';
import { webhookRoute } from '../../lib/triggers/webhook-route.js';

export const handler = webhookRoute('generic', (headers, payload) => ({
  kind: 'start',
  input: releaseInputOf(payload, headers['idempotency-key']),
}));

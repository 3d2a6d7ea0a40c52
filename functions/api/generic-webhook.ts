/**
 * POST /webhooks/generic: any system that can sign a request
 * (`X-Fleetwave-Signature: t=<unix>,v1=<hex>`, at most 5 minutes old) sends
 * a release request, exactly the body of `POST /releases`, optionally with
 * an `idempotencyKey` member (or the `Idempotency-Key` header) and a
 * `sender` member naming who asked (lib/triggers/generic.ts).
 */
import { genericAction } from '../../lib/triggers/generic.js';
import { webhookRoute } from '../../lib/triggers/webhook-route.js';

export const handler = webhookRoute('generic', (headers, payload) =>
  genericAction(headers['idempotency-key'], payload),
);

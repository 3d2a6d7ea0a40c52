/** UpdateCertificate: `PUT /certificates/{certificateId}?newStatus`. */
import { z } from 'zod';
import { certificateIdSchema } from '../certificates/certificate-fields.js';
import { certificateStatuses } from '../certificates/certificate-records.js';
import { IotError, invalidRequest, notFound } from '../errors.js';
import { noInput } from '../validation/fields.js';
import { defineOperation } from './operation.js';

/** Statuses AWS keeps for itself (transfer, activation) or has deprecated (REGISTER_INACTIVE). */
const refused = new Set(['PENDING_TRANSFER', 'PENDING_ACTIVATION', 'REGISTER_INACTIVE']);

export const updateCertificate = defineOperation({
  name: 'UpdateCertificate',
  method: 'PUT',
  path: '/certificates/{certificateId}',
  schemas: {
    params: z.object({ certificateId: certificateIdSchema }),
    query: z.object({ newStatus: z.enum(certificateStatuses) }),
    body: noInput,
  },
  run(ctx, { params, query }) {
    const record = ctx.certificates.store.get(params.certificateId);
    if (!record) throw notFound(`The certificate ${params.certificateId} does not exist.`);
    if (refused.has(query.newStatus)) {
      throw invalidRequest(`The certificate status cannot be set to ${query.newStatus}.`);
    }
    // Revoking is final: a REVOKED certificate never becomes usable again.
    if (record.status === 'REVOKED' && query.newStatus !== 'REVOKED') {
      throw new IotError(
        'CertificateStateException',
        `The certificate ${params.certificateId} is REVOKED and cannot be set to ${query.newStatus}.`,
      );
    }
    ctx.certificates.store.setStatus(record.certificateId, query.newStatus);
    return undefined;
  },
});

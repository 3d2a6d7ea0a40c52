/** DescribeCertificate: `GET /certificates/{certificateId}`. */
import { z } from 'zod';
import { certificateIdSchema } from '../certificates/certificate-fields.js';
import { notFound } from '../errors.js';
import { noInput } from '../validation/fields.js';
import { defineOperation, epochSeconds } from './operation.js';

export const describeCertificate = defineOperation({
  name: 'DescribeCertificate',
  method: 'GET',
  path: '/certificates/{certificateId}',
  schemas: { params: z.object({ certificateId: certificateIdSchema }), query: noInput, body: noInput },
  run(ctx, { params }) {
    const record = ctx.certificates.store.get(params.certificateId);
    if (!record) throw notFound(`The certificate ${params.certificateId} does not exist.`);
    return {
      certificateDescription: {
        certificateArn: record.certificateArn,
        certificateId: record.certificateId,
        status: record.status,
        certificatePem: record.certificatePem,
        ownedBy: ctx.arns.accountId,
        creationDate: epochSeconds(record.creationDate),
        lastModifiedDate: epochSeconds(record.lastModifiedDate),
        customerVersion: record.customerVersion,
        generationId: record.generationId,
        validity: { notBefore: epochSeconds(record.notBefore), notAfter: epochSeconds(record.notAfter) },
        certificateMode: 'DEFAULT',
      },
    };
  },
});

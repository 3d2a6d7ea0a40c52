/** CreateKeysAndCertificate: `POST /keys-and-certificate?setAsActive`. */
import { z } from 'zod';
import { booleanQuery, noInput } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const createKeysAndCertificate = defineOperation({
  name: 'CreateKeysAndCertificate',
  method: 'POST',
  path: '/keys-and-certificate',
  schemas: { params: noInput, query: z.object({ setAsActive: booleanQuery }), body: noInput },
  async run(ctx, { query }) {
    // AWS makes the certificate INACTIVE unless asked otherwise.
    const { record, issued } = await ctx.certificates.create(query.setAsActive ? 'ACTIVE' : 'INACTIVE');
    return {
      certificateArn: record.certificateArn,
      certificateId: record.certificateId,
      certificatePem: record.certificatePem,
      keyPair: { PublicKey: issued.publicKeyPem, PrivateKey: issued.privateKeyPem },
    };
  },
});

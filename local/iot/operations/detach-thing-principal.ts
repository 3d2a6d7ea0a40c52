/** DetachThingPrincipal: `DELETE /things/{thingName}/principals`, principal in `x-amzn-principal`. */
import { z } from 'zod';
import { principalHeaders } from '../certificates/certificate-fields.js';
import { requireCertificatePrincipal, requireThing } from '../certificates/principal-checks.js';
import { noInput, thingNameSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const detachThingPrincipal = defineOperation({
  name: 'DetachThingPrincipal',
  method: 'DELETE',
  path: '/things/{thingName}/principals',
  schemas: {
    params: z.object({ thingName: thingNameSchema }),
    query: noInput,
    body: noInput,
    headers: principalHeaders,
  },
  run(ctx, { params, headers }) {
    const principal = headers['x-amzn-principal'];
    requireThing(ctx, params.thingName);
    requireCertificatePrincipal(ctx, principal);
    // Detaching a principal that is not attached succeeds: the outcome the caller wants holds.
    ctx.certificates.store.detach(params.thingName, principal);
    return {};
  },
});

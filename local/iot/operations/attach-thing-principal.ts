/** AttachThingPrincipal: `PUT /things/{thingName}/principals?thingPrincipalType`, principal in `x-amzn-principal`. */
import { z } from 'zod';
import { principalHeaders, thingPrincipalTypeQuery } from '../certificates/certificate-fields.js';
import { requireCertificatePrincipal, requireThing } from '../certificates/principal-checks.js';
import { invalidRequest } from '../errors.js';
import { noInput, thingNameSchema } from '../validation/fields.js';
import { defineOperation } from './operation.js';

export const attachThingPrincipal = defineOperation({
  name: 'AttachThingPrincipal',
  method: 'PUT',
  path: '/things/{thingName}/principals',
  schemas: {
    params: z.object({ thingName: thingNameSchema }),
    query: z.object({ thingPrincipalType: thingPrincipalTypeQuery }),
    body: noInput,
    headers: principalHeaders,
  },
  run(ctx, { params, query, headers }) {
    const principal = headers['x-amzn-principal'];
    requireThing(ctx, params.thingName);
    requireCertificatePrincipal(ctx, principal);
    const type = query.thingPrincipalType ?? 'NON_EXCLUSIVE_THING';
    // An exclusive principal belongs to one thing only, whichever side asks for exclusivity.
    const elsewhere = ctx.certificates.store
      .attachmentsOfPrincipal(principal)
      .filter((a) => a.thingName !== params.thingName);
    const exclusive = elsewhere.find((a) => a.thingPrincipalType === 'EXCLUSIVE_THING');
    if (exclusive) {
      throw invalidRequest(`Principal ${principal} is attached exclusively to thing ${exclusive.thingName}.`);
    }
    if (type === 'EXCLUSIVE_THING' && elsewhere.length > 0) {
      throw invalidRequest(
        `Principal ${principal} cannot be attached exclusively: it is attached to thing ${elsewhere[0]!.thingName}.`,
      );
    }
    ctx.certificates.store.attach(params.thingName, principal, type);
    return {};
  },
});

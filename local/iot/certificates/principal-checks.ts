/**
 * The checks AttachThingPrincipal and DetachThingPrincipal share: the thing
 * exists, and the principal is a certificate of this account and region
 * that the local IoT knows. AWS also takes Amazon Cognito identities as
 * principals; the local stack has no Cognito, so it refuses them.
 */
import { invalidRequest, notFound } from '../errors.js';
import type { OperationContext } from '../operations/operation.js';

/** Throws ResourceNotFoundException unless the thing exists. */
export function requireThing(ctx: OperationContext, thingName: string): void {
  if (!ctx.things.getThing(thingName)) throw notFound(`Thing ${thingName} cannot be found.`);
}

/** Throws unless `principal` is the ARN of a known certificate. */
export function requireCertificatePrincipal(ctx: OperationContext, principal: string): void {
  const certificateId = ctx.arns.idOf(principal, 'cert');
  if (certificateId === undefined) {
    throw invalidRequest(
      `Principal ${principal} is not a certificate ARN of this account and region (the local IoT knows no other principals).`,
    );
  }
  if (!ctx.certificates.store.get(certificateId)) {
    throw notFound(`The certificate ${certificateId} does not exist.`);
  }
}

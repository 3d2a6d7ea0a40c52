/**
 * The shape of one IoT operation: its name (the SDK command without
 * `Command`), its HTTP method and path template from the service model, how
 * its input is validated, and what it does. Validation and behaviour stay
 * apart: `schemas` reject a bad request before `run` sees it.
 */
import type { z } from 'zod';
import type { Clock } from '../../clock/clock.js';
import type { ArnFactory } from '../arn.js';
import type { LocalCertificates } from '../certificates/device-certificates.js';
import type { EndpointAddresses } from '../endpoints/endpoint-addresses.js';
import type { JobStore } from '../jobs/job-store.js';
import type { JobTemplateStore } from '../registry/template-store.js';
import type { ThingRegistry } from '../registry/thing-registry.js';
import {
  type InputSchemas,
  type RawRequest,
  type ValidInput,
  validateInput,
} from '../validation/validate.js';

/** What every operation may use. */
export interface OperationContext {
  readonly clock: Clock;
  readonly arns: ArnFactory;
  readonly jobs: JobStore;
  readonly things: ThingRegistry;
  readonly templates: JobTemplateStore;
  /** Device certificates, their CA and thing principals. */
  readonly certificates: LocalCertificates;
  /** Where the local endpoints listen, for DescribeEndpoint. */
  readonly endpoints: EndpointAddresses;
}

type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/**
 * An operation ready for the dispatch table, its input types erased. `C` is
 * what its service gives it: the control plane's {@link OperationContext}
 * unless said otherwise (the jobs data plane has its own).
 */
export interface IotOperation<C = OperationContext> {
  readonly name: string;
  readonly method: HttpMethod;
  /** Path template with `{label}` segments, exactly as the service model writes it. */
  readonly path: string;
  /**
   * Validates the request, runs the operation and returns the JSON response
   * body (none for an empty 200); a promise only for the operations that wait
   * on key generation.
   */
  handle(ctx: C, raw: RawRequest): OperationResult;
}

type OperationResult = object | undefined | Promise<object | undefined>;

export interface OperationDefinition<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  H extends z.ZodType,
  C = OperationContext,
> {
  name: string;
  method: HttpMethod;
  path: string;
  schemas: InputSchemas<P, Q, B, H>;
  run(ctx: C, input: ValidInput<P, Q, B, H>): OperationResult;
}

export function defineOperation<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  H extends z.ZodType = z.ZodObject,
  C = OperationContext,
>(definition: OperationDefinition<P, Q, B, H, C>): IotOperation<C> {
  return {
    name: definition.name,
    method: definition.method,
    path: definition.path,
    handle: (ctx, raw) => definition.run(ctx, validateInput(definition.schemas, raw)),
  };
}

/** Epoch seconds, as REST-JSON timestamps travel; undefined stays undefined. */
export function epochSeconds(ms: number): number;
export function epochSeconds(ms: number | undefined): number | undefined;
export function epochSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

/**
 * Answers the requests of AWS's jobs topics from the device side of the job
 * store (`iot.deviceJobs`), the one the HTTPS data plane also serves: the
 * payload is read as UTF-8 JSON, validated with the shared schemas and
 * AWS's validation wording, and answered on the request's topic +
 * `/accepted` or `/rejected`, with the request's `clientToken` echoed and a
 * `timestamp` in epoch seconds.
 */
import { z } from 'zod';
import { resourceIdSchema } from '../../lib/domain/iot-job-settings.js';
import type { Clock } from '../clock/clock.js';
import { DeviceJobsError, mqttErrorCode } from '../iot/device-jobs/device-job-errors.js';
import {
  deviceJobIdSchema,
  executionNumberSchema,
  startNextInputSchema,
  updateInputSchema,
} from '../iot/device-jobs/device-job-schemas.js';
import type { DeviceJobs } from '../iot/device-jobs/device-jobs.js';
import { IotError } from '../iot/errors.js';
import { validateInput } from '../iot/validation/validate.js';
import {
  documentValue,
  executionPayload,
  type Rejection,
  rejectedPayload,
  seconds,
  statePayload,
  summaryPayload,
} from './jobs-payloads.js';
import type { JobsRequest } from './jobs-topics.js';

/** An answer to publish. */
export interface JobsAnswer {
  topic: string;
  payload: object;
}

/** `clientToken`: AWS takes at most 64 characters. */
const clientTokenSchema = z.string().max(64, 'must be at most 64 characters').optional();

const describeInputSchema = z.object({
  executionNumber: executionNumberSchema.optional(),
  includeJobDocument: z.boolean().optional(),
});

const noInput = z.object({});

/** Refused before reaching the job store. */
class RequestRefused extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.message);
  }
}

/** The request's JSON object; an empty payload is `{}` (a bare `get` needs nothing). */
function readPayload(payload: Buffer): Record<string, unknown> {
  if (payload.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw new RequestRefused({ code: 'InvalidJson', message: 'The payload is not valid UTF-8 JSON.' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestRefused({ code: 'InvalidRequest', message: 'The payload must be a JSON object.' });
  }
  return value as Record<string, unknown>;
}

/** Validates with the data plane's schemas and wording; a refusal becomes `InvalidRequest`. */
function valid<P extends z.ZodType, B extends z.ZodType>(
  params: P,
  body: B,
  raw: { params: Record<string, string>; body: Record<string, unknown> },
): { params: z.output<P>; body: z.output<B> } {
  try {
    return validateInput({ params, query: noInput, body }, { ...raw, query: {} });
  } catch (error) {
    if (!(error instanceof IotError)) throw error;
    throw new RequestRefused({ code: 'InvalidRequest', message: error.message });
  }
}

export class JobsRequests {
  constructor(
    private readonly devices: DeviceJobs,
    private readonly clock: Clock,
    /** Told of a fault of the local stack (the device is answered `InternalError`). */
    private readonly reportFault: (error: unknown) => void,
  ) {}

  /** The answer to a request published on `topic` with `payload`. */
  answer(topic: string, request: JobsRequest, payload: Buffer): JobsAnswer {
    let clientToken: string | undefined;
    try {
      const body = readPayload(payload);
      const token = clientTokenSchema.safeParse(body.clientToken);
      if (!token.success) {
        throw new RequestRefused({
          code: 'InvalidRequest',
          message:
            "Value at 'clientToken' failed to satisfy constraint: Member must be a string of at most 64 characters",
        });
      }
      clientToken = token.data;
      const accepted = this.run(request, body);
      return {
        topic: `${topic}/accepted`,
        payload: {
          ...accepted,
          timestamp: seconds(this.clock.now()),
          ...(clientToken !== undefined && { clientToken }),
        },
      };
    } catch (error) {
      return {
        topic: `${topic}/rejected`,
        payload: rejectedPayload(this.rejectionOf(error), clientToken, this.clock.now()),
      };
    }
  }

  private run(request: JobsRequest, body: Record<string, unknown>): object {
    switch (request.kind) {
      case 'invalid':
        throw new RequestRefused({ code: 'InvalidTopic', message: 'The topic names no jobs operation.' });
      case 'get-pending': {
        const { inProgressJobs, queuedJobs } = this.devices.pending(request.thingName);
        return {
          inProgressJobs: inProgressJobs.map(summaryPayload),
          queuedJobs: queuedJobs.map(summaryPayload),
        };
      }
      case 'start-next': {
        const input = valid(noInput, startNextInputSchema, { params: {}, body });
        const execution = this.devices.startNext(request.thingName, input.body);
        return execution === undefined ? {} : { execution: executionPayload(execution) };
      }
      case 'describe': {
        const input = valid(z.object({ jobId: deviceJobIdSchema }), describeInputSchema, {
          params: { jobId: request.jobId },
          body,
        });
        const execution = this.devices.describe(request.thingName, input.params.jobId, input.body);
        return execution === undefined ? {} : { execution: executionPayload(execution) };
      }
      case 'update': {
        const input = valid(z.object({ jobId: resourceIdSchema }), updateInputSchema, {
          params: { jobId: request.jobId },
          body,
        });
        const result = this.devices.update(request.thingName, input.params.jobId, input.body);
        return {
          ...(result.executionState !== undefined && { executionState: statePayload(result.executionState) }),
          ...(result.jobDocument !== undefined && { jobDocument: documentValue(result.jobDocument) }),
        };
      }
    }
  }

  private rejectionOf(error: unknown): Rejection {
    if (error instanceof RequestRefused) return error.rejection;
    if (error instanceof DeviceJobsError) {
      return {
        code: mqttErrorCode[error.name] as Rejection['code'],
        message: error.message,
        ...(error.executionState !== undefined && { executionState: error.executionState }),
      };
    }
    // A fault of the local stack, not of the request: the device sees what AWS would send, the stack's log the rest.
    this.reportFault(error);
    return { code: 'InternalError', message: 'Internal error.' };
  }
}

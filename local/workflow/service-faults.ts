/**
 * Fault injection for the local DynamoDB and Step Functions (the services
 * speaking the JSON 1.0 protocol), for rehearsing a caller that dies or is
 * refused between two of its steps: a task after CreateJob and before the
 * wave's record catches up, an API request that stored the release but
 * could not start its execution. A fault makes requests of one operation
 * fail with the service's own error, as the service words it, until it is
 * cleared or has fired `count` times; every other request reaches the
 * service untouched. It also counts the requests the service is still
 * answering, so the stack can let them finish before it closes the store
 * under them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsService } from '../aws-endpoint/router.js';

export interface ServiceFaultSpec {
  /** `PutItem`, `StartExecution`, ... (the `X-Amz-Target` operation). */
  operation: string;
  /** The error's name, e.g. `ProvisionedThroughputExceededException`, `ThrottlingException`; the service's 500 when absent. */
  error?: string;
  /** Fire this many times, then stop; until cleared when absent. */
  count?: number;
}

/** How one service writes its errors on the wire. */
interface ErrorDialect {
  /** The error of a fault that names none (an HTTP 500). */
  defaultError: string;
  /** HTTP status by error name; 400 for any other, as both services answer their modeled errors. */
  statuses: Readonly<Record<string, number>>;
  /** The body's `__type` for an error name. */
  typeOf(name: string): string;
}

const dialects = {
  dynamodb: {
    defaultError: 'InternalServerError',
    statuses: { InternalServerError: 500, ServiceUnavailable: 503 },
    typeOf: (name) => `com.amazonaws.dynamodb.v20120810#${name}`,
  },
  stepFunctions: {
    defaultError: 'InternalFailure',
    statuses: { InternalFailure: 500, ServiceUnavailable: 503 },
    typeOf: (name) => name,
  },
} satisfies Record<string, ErrorDialect>;

interface ArmedFault extends ServiceFaultSpec {
  id: number;
  fired: number;
}

export class ServiceFaults {
  private faults: ArmedFault[] = [];
  private nextId = 1;
  private answering = 0;

  constructor(private readonly dialect: ErrorDialect) {}

  /** Requests passed to the service and not yet answered. */
  get inFlight(): number {
    return this.answering;
  }

  /** Arms a fault; returns its id. */
  add(spec: ServiceFaultSpec): number {
    const id = this.nextId++;
    this.faults.push({ ...spec, id, fired: 0 });
    return id;
  }

  /** Times fault `id` has fired (0 for an unknown id). */
  fired(id: number): number {
    return this.faults.find((f) => f.id === id)?.fired ?? 0;
  }

  remove(id: number): void {
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  clear(): void {
    this.faults = [];
  }

  /** `service` with the armed faults in front of it. */
  wrap(service: AwsService): AwsService {
    return {
      signingName: service.signingName,
      ...(service.otherSigningNames && { otherSigningNames: service.otherSigningNames }),
      ...(service.targetPrefixes && { targetPrefixes: service.targetPrefixes }),
      ...(service.pathPrefixes && { pathPrefixes: service.pathPrefixes }),
      handle: (req: IncomingMessage, res: ServerResponse) => {
        const target = req.headers['x-amz-target'];
        const operation = typeof target === 'string' ? target.split('.')[1] : undefined;
        const fault = this.faults.find(
          (f) => f.operation === operation && (f.count === undefined || f.fired < f.count),
        );
        if (!fault) {
          this.answering++;
          res.once('close', () => this.answering--);
          return service.handle(req, res);
        }
        fault.fired++;
        const name = fault.error ?? this.dialect.defaultError;
        req.resume();
        res.writeHead(this.dialect.statuses[name] ?? 400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: this.dialect.typeOf(name),
            message: `Injected fault: ${operation} failed with ${name}.`,
          }),
        );
      },
    };
  }
}

/** Faults in front of the local DynamoDB. */
export const dynamoDbFaults = (): ServiceFaults => new ServiceFaults(dialects.dynamodb);

/** Faults in front of the local Step Functions. */
export const stepFunctionsFaults = (): ServiceFaults => new ServiceFaults(dialects.stepFunctions);

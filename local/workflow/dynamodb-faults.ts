/**
 * Fault injection for the local DynamoDB, for rehearsing a task that dies
 * between two of its steps (e.g. after CreateJob, before the wave's record
 * catches up). A fault makes requests of one operation fail with a DynamoDB
 * error, as DynamoDB words it, until it is cleared or has fired `count`
 * times; every other request reaches dynalite untouched. It also counts the
 * requests dynalite is still answering, so the stack can let them finish
 * before it closes the store under them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsService } from '../aws-endpoint/router.js';

export interface DynamoDbFaultSpec {
  /** `PutItem`, `GetItem`, `Query`, ... (the `X-Amz-Target` operation). */
  operation: string;
  /** Default `InternalServerError` (HTTP 500); e.g. `ProvisionedThroughputExceededException` (400). */
  error?: string;
  /** Fire this many times, then stop; until cleared when absent. */
  count?: number;
}

interface ArmedFault extends DynamoDbFaultSpec {
  id: number;
  fired: number;
}

const statuses: Record<string, number> = { InternalServerError: 500, ServiceUnavailable: 503 };

export class DynamoDbFaults {
  private faults: ArmedFault[] = [];
  private nextId = 1;
  private answering = 0;

  /** Requests passed to the service and not yet answered. */
  get inFlight(): number {
    return this.answering;
  }

  /** Arms a fault; returns its id. */
  add(spec: DynamoDbFaultSpec): number {
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
        const name = fault.error ?? 'InternalServerError';
        req.resume();
        res.writeHead(statuses[name] ?? 400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: `com.amazonaws.dynamodb.v20120810#${name}`,
            message: `Injected fault: ${operation} failed with ${name}.`,
          }),
        );
      },
    };
  }
}

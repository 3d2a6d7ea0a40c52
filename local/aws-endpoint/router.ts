/**
 * One loopback endpoint for every emulated AWS service. AWS_ENDPOINT_URL
 * pointed here is enough for the SDKs and the AWS CLI v2: each request is
 * routed to its service by the SigV4 credential scope the client signed it
 * with (`Credential=AKID/20260101/us-east-1/iot/aws4_request`), then by the
 * `X-Amz-Target` prefix, and finally by an explicit path prefix (the
 * non-AWS admin surface under `/_fleetwave/`). What a web page sends is
 * refused first (`dashboard/serve/cross-site-guard.ts`): SDKs and CLIs send no `Origin`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { crossSiteRefusal } from '../../dashboard/serve/cross-site-guard.js';
import { maxRequestBytesOf } from './request-size.js';

/** One emulated service mounted on the shared endpoint. */
export interface AwsService {
  /** The SigV4 signing name the JavaScript SDK uses for this service: `iot`, `states`, `dynamodb`, `events`, `sns`. */
  readonly signingName: string;
  /**
   * Other signing names clients sign this service's requests with: the AWS
   * CLI (botocore) signs AWS IoT control-plane requests as `execute-api`.
   */
  readonly otherSigningNames?: readonly string[];
  /** `X-Amz-Target` prefixes this service answers (JSON-protocol services), e.g. `AWSStepFunctions`. */
  readonly targetPrefixes?: readonly string[];
  /** Path prefixes this service answers whatever the signature, e.g. `/_fleetwave/`; the longest matching prefix wins. */
  readonly pathPrefixes?: readonly string[];
  /** The largest body it takes, when not the one `request-size.ts` gives its signing name (file uploads). */
  readonly maxRequestBytes?: number;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** Reads the SigV4 signing name from an Authorization header, if there is one. */
function signingNameOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (!auth) return undefined;
  const match = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
  return match?.[1];
}

/** Picks the service a request belongs to, or undefined. */
export function routeRequest(services: readonly AwsService[], req: IncomingMessage): AwsService | undefined {
  const path = req.url ?? '/';
  let byPath: AwsService | undefined;
  let longest = 0;
  for (const service of services) {
    for (const prefix of service.pathPrefixes ?? []) {
      if (path.startsWith(prefix) && prefix.length > longest) [byPath, longest] = [service, prefix.length];
    }
  }
  if (byPath) return byPath;
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const prefix = target.split('.')[0] ?? '';
    const byTarget = services.find((s) => s.targetPrefixes?.includes(prefix));
    if (byTarget) return byTarget;
  }
  const name = signingNameOf(req);
  if (name) return services.find((s) => s.signingName === name || s.otherSigningNames?.includes(name));
  return undefined;
}

/** Creates (does not start) the shared endpoint server. */
export function createAwsEndpoint(services: readonly AwsService[]): Server {
  return createServer((req, res) => {
    const refusal = crossSiteRefusal(req);
    if (refusal) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' });
      res.end(JSON.stringify({ message: refusal }));
      return;
    }
    const service = routeRequest(services, req);
    if (service) {
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > (service.maxRequestBytes ?? maxRequestBytesOf(service.signingName))) {
        req.resume();
        // As AWS's front ends (and dynalite): 413 with no body.
        res.writeHead(413, { 'content-length': 0, connection: 'close' });
        res.end();
        return;
      }
      try {
        service.handle(req, res);
      } catch (error) {
        // A service's own failure is this request's InternalFailure, never the endpoint's end.
        console.error(`local ${service.signingName}: a request failed inside the service:`, error);
        if (res.headersSent) res.destroy();
        else {
          res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' });
          res.end(JSON.stringify({ message: 'An internal error occurred.' }));
        }
      }
      return;
    }
    res.writeHead(400, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'UnknownOperationException',
    });
    res.end(
      JSON.stringify({
        message: 'No emulated service answers this request (unsigned, or an unknown service).',
      }),
    );
  });
}

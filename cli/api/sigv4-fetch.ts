/**
 * SigV4 for the API client: an {@link HttpFetch} that signs each request for
 * API Gateway's `AWS_IAM` authoriser (service `execute-api`) before sending
 * it, with the SDK's own signer and its default credential chain
 * (environment, shared config and credentials files, SSO, process,
 * container and instance roles).
 *
 * The signer and the chain are loaded on the first signed request, never
 * before: most of the CLI's start-up budget (docs/PERFORMANCE.md, "CLI
 * start") would go to loading them, and a command against the local stack
 * without `--sigv4` never needs them. The CLI bundle leaves them external
 * (`build/cli-bundle.mjs`), so they are not even parsed until then.
 */
import { UsageError } from '../errors.js';
import type { HttpFetch } from './http-fetch.js';

/** `<api-id>.execute-api.<region>.amazonaws.com` (or `.amazonaws.com.cn`), the default endpoint of an API. */
const executeApiHost = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/i;

/** True when `apiUrl` is an API Gateway default endpoint, which only answers signed requests here. */
export function isExecuteApiUrl(apiUrl: string): boolean {
  return executeApiHost.test(hostnameOf(apiUrl));
}

function hostnameOf(apiUrl: string): string {
  try {
    return new URL(apiUrl).hostname;
  } catch {
    // The client reports a malformed URL itself.
    return '';
  }
}

/**
 * The region to sign for: the one an execute-api URL names, else
 * `AWS_REGION`, else `AWS_DEFAULT_REGION`.
 * @param signer what the error names as signing (the `--sigv4` flag, or a command)
 * @throws UsageError when none of them says
 */
export function signingRegion(
  apiUrl: string,
  env: Readonly<Record<string, string | undefined>>,
  signer = '--sigv4',
): string {
  const fromUrl = executeApiHost.exec(hostnameOf(apiUrl))?.[1];
  const region = fromUrl ?? (env.AWS_REGION || undefined) ?? (env.AWS_DEFAULT_REGION || undefined);
  if (region === undefined)
    throw new UsageError(
      `${signer} needs a region to sign for, and ${apiUrl} names none: set AWS_REGION (e.g. AWS_REGION=eu-west-1)`,
    );
  return region;
}

/** AWS credentials as the signer takes them. */
interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Where credentials come from, each time the signer needs them. */
type CredentialSource = () => Promise<SigningCredentials>;

export interface SigV4FetchOptions {
  region: string;
  /** Where credentials come from; the SDK's default chain ({@link chainCredentials}) when omitted. */
  credentials?: CredentialSource;
}

/** The error the credential chain throws when it found nothing: a setup problem, not a failed request. */
function credentialsMissing(error: unknown, signer: string): UsageError {
  const reason = error instanceof Error ? error.message : String(error);
  return new UsageError(
    `${signer} found no AWS credentials (${reason}); set AWS_PROFILE, run \`aws sso login\`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
  );
}

/**
 * The SDK's default credential chain, loaded at the first call: it caches
 * what it found and refreshes temporary credentials before they expire, so
 * a long-running command asks it at each request. A chain that finds
 * nothing rejects with a {@link UsageError} naming `signer`.
 */
export function chainCredentials(signer = '--sigv4'): CredentialSource {
  let chain: Promise<CredentialSource> | undefined;
  return async () => {
    chain ??= import('@aws-sdk/credential-provider-node').then((m) => m.defaultProvider());
    try {
      return await (await chain)();
    } catch (error) {
      throw credentialsMissing(error, signer);
    }
  };
}

async function loadSigner(options: SigV4FetchOptions) {
  const [{ SignatureV4 }, { Sha256 }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/core/checksum'),
  ]);
  return new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials ?? chainCredentials(),
    sha256: Sha256,
  });
}

/** RFC 3986 percent-encoding, as SigV4 canonicalises: everything but `A-Z a-z 0-9 - . _ ~` escaped. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `url` with its query written as the signer canonicalises it: each name
 * and value decoded once, then percent-encoded per RFC 3986 (a space as
 * `%20`, a plus as `%2B`). Sent as it was given, `?q=a+b` would be signed
 * as `a b` (the signer reads the pairs decoded) while API Gateway reads the
 * raw `+`: a signature that does not match. Written this way, what is sent
 * is what was signed.
 */
function withCanonicalQuery(url: URL): URL {
  const wire = new URL(url);
  wire.search = [...url.searchParams].map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`).join('&');
  return wire;
}

/** `work`, or the signal's reason as soon as it aborts: a credential refresh that hangs must not hang the request. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * `fetch` with each request signed first: `Authorization`, `X-Amz-Date`,
 * `X-Amz-Content-Sha256` and, for temporary credentials,
 * `X-Amz-Security-Token`. `Host` is set and signed, as API Gateway requires.
 * Loading the signer and asking for credentials stop when the request's
 * signal aborts, as the request itself does.
 */
export function sigV4Fetch(fetch: HttpFetch, options: SigV4FetchOptions): HttpFetch {
  let signer: ReturnType<typeof loadSigner> | undefined;
  return async (given, init) => {
    signer ??= loadSigner(options);
    const loading = signer;
    const url = withCanonicalQuery(given);
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] as string) : values;
    }
    const sign = async () =>
      (await loading).sign({
        method: init.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port !== '' && { port: Number(url.port) }),
        path: url.pathname,
        query,
        headers: { ...init.headers, host: url.host },
        ...(init.body !== undefined && { body: init.body }),
      });
    const signed = await untilAborted(sign(), init.signal);
    return fetch(url, { ...init, headers: signed.headers });
  };
}

import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { HttpFetch } from '../../../cli/api/http-fetch.js';
import { isExecuteApiUrl, signingRegion, sigV4Fetch } from '../../../cli/api/sigv4-fetch.js';
import { UsageError } from '../../../cli/errors.js';
import { ExitCode } from '../../../cli/exit-codes.js';
import { run } from './support/fake-io.js';

const key = { accessKeyId: 'AKIDUNITTEST00001', secretAccessKey: 'unit-test-secret-000000' };

/** A fetch that records the headers it was given and answers an empty list. */
function recording() {
  const sent: { url: URL; headers: Record<string, string> }[] = [];
  const fetch: HttpFetch = async (url, init) => {
    sent.push({ url, headers: init.headers });
    return { status: 200, ok: true, headers: { get: () => null }, text: async () => '{"items":[]}' };
  };
  return { fetch, sent };
}

describe('execute-api URLs and the signing region', () => {
  it('knows an API Gateway default endpoint, and takes its region from it', () => {
    const url = 'https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/prod';
    expect(isExecuteApiUrl(url)).toBe(true);
    expect(isExecuteApiUrl('https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn')).toBe(true);
    expect(signingRegion(url, { AWS_REGION: 'us-east-1' })).toBe('eu-central-1');
  });

  it('takes AWS_REGION, then AWS_DEFAULT_REGION, for any other URL; none is a usage error', () => {
    for (const url of [
      'http://127.0.0.1:3000',
      'https://api.example.com',
      'https://execute-api.evil.example',
    ]) {
      expect(isExecuteApiUrl(url)).toBe(false);
    }
    expect(
      signingRegion('https://api.example.com', { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'x' }),
    ).toBe('us-west-2');
    expect(signingRegion('https://api.example.com', { AWS_DEFAULT_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(() => signingRegion('https://api.example.com', { AWS_REGION: '' })).toThrow(UsageError);
  });
});

describe('sigV4Fetch', () => {
  it('adds a SigV4 Authorization for execute-api in the region, signing host, and keeps the request', async () => {
    const { fetch, sent } = recording();
    const signed = sigV4Fetch(fetch, { region: 'eu-west-1', credentials: async () => key });
    await signed(new URL('https://api.example.com/prod/releases?limit=5'), {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: new AbortController().signal,
    });
    const headers = sent[0]?.headers ?? {};
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDUNITTEST00001\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=accept;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(headers.host).toBe('api.example.com');
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers.accept).toBe('application/json');
    expect(sent[0]?.url.href).toBe('https://api.example.com/prod/releases?limit=5');
  });

  it('sends the session token of temporary credentials', async () => {
    const { fetch, sent } = recording();
    const signed = sigV4Fetch(fetch, {
      region: 'eu-west-1',
      credentials: async () => ({ ...key, sessionToken: 'tok' }),
    });
    await signed(new URL('http://127.0.0.1:3000/releases'), {
      method: 'GET',
      headers: {},
      signal: new AbortController().signal,
    });
    expect(sent[0]?.headers['x-amz-security-token']).toBe('tok');
    expect(sent[0]?.headers.authorization).toContain('x-amz-security-token');
  });
});

describe('sigV4Fetch and the query string', () => {
  it.each([
    ['?q=a+b', '?q=a%20b'],
    ['?q=a%20b', '?q=a%20b'],
    ['?q=a%2Bb', '?q=a%2Bb'],
    ["?q=it's(1)*!~._-", '?q=it%27s%281%29%2A%21~._-'],
    ['?b=2&a=1&a=0', '?b=2&a=1&a=0'],
    ['?flag', '?flag='],
    ['', ''],
  ])('sends %s as %s, the query as the signature covers it', async (given, wire) => {
    const { fetch, sent } = recording();
    const signed = sigV4Fetch(fetch, { region: 'eu-west-1', credentials: async () => key });
    await signed(new URL(`https://api.example.com/prod/releases${given}`), {
      method: 'GET',
      headers: {},
      signal: new AbortController().signal,
    });
    expect(sent[0]?.url.search).toBe(wire);
  });

  it('signs the same request alike whether its spaces came as + or %20', async () => {
    // One signing time for both, so only the query could make the signatures differ.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { fetch, sent } = recording();
    const signed = sigV4Fetch(fetch, { region: 'eu-west-1', credentials: async () => key });
    const init = { method: 'GET', headers: {}, signal: new AbortController().signal };
    await signed(new URL('https://api.example.com/releases?q=a+b'), init);
    await signed(new URL('https://api.example.com/releases?q=a%20b'), init);
    expect(sent[0]?.headers.authorization).toBe(sent[1]?.headers.authorization);
  });
});

describe('sigV4Fetch and a signal', () => {
  it('gives up waiting for credentials once the request’s signal aborts, with its reason', async () => {
    const { fetch, sent } = recording();
    const signed = sigV4Fetch(fetch, {
      region: 'eu-west-1',
      credentials: () => new Promise(() => undefined),
    });
    const request = new AbortController();
    const signing = signed(new URL('https://api.example.com/releases'), {
      method: 'GET',
      headers: {},
      signal: request.signal,
    });
    const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    request.abort(reason);
    await expect(signing).rejects.toBe(reason);
    expect(sent).toEqual([]);
  });
});

describe('the CLI and SigV4', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('signs with the SDK credential chain for an execute-api URL, with no flag', async () => {
    process.env.AWS_ACCESS_KEY_ID = key.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = key.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const { fetch, sent } = recording();
    const result = await run(['releases', 'list', '--json'], {
      fetch,
      env: { FLEETWAVE_API_URL: 'https://a1b2c3d4e5.execute-api.eu-west-3.amazonaws.com' },
    });
    expect(result.err).toBe('');
    expect(result.code).toBe(ExitCode.OK);
    expect(sent[0]?.headers.authorization).toContain('Credential=AKIDUNITTEST00001/');
    expect(sent[0]?.headers.authorization).toContain('/eu-west-3/execute-api/aws4_request');
  });

  it('does not sign a local URL without --sigv4 (the bearer token goes as before)', async () => {
    const { fetch, sent } = recording();
    await run(['releases', 'list', '--token', 'local-token-0123456789'], { fetch, env: {} });
    expect(sent[0]?.headers.authorization).toBe('Bearer local-token-0123456789');
    expect(sent[0]?.headers).not.toHaveProperty('x-amz-date');
  });

  it('--sigv4 with no region to sign for is a usage error before any request', async () => {
    const { fetch, sent } = recording();
    const result = await run(['releases', 'list', '--sigv4'], { fetch, env: {} });
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.err).toContain('--sigv4 needs a region to sign for');
    expect(sent).toEqual([]);
  });
});

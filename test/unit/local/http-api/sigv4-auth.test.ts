import { describe, expect, it } from 'vitest';
import type { HttpFetch } from '../../../../cli/api/http-fetch.js';
import { sigV4Fetch } from '../../../../cli/api/sigv4-fetch.js';
import {
  type SignedRequest,
  SigV4Refusal,
  sigV4SettingsOf,
  verifySigV4,
} from '../../../../local/http-api/sigv4-auth.js';

const key = { accessKeyId: 'AKIDLOCALTEST0001', secretAccessKey: 'local-secret-key-0123456789' };
const settings = { key, region: 'eu-west-1' };

/** The request the CLI's signing transport sends, as the gateway receives it. */
async function signed(
  options: {
    method?: string;
    url?: string;
    body?: string;
    secret?: string;
    region?: string;
    signer?: typeof key;
  } = {},
): Promise<{ request: SignedRequest; signedAt: number }> {
  let captured: SignedRequest | undefined;
  const capture: HttpFetch = async (url, init) => {
    const headers = Object.fromEntries(Object.entries(init.headers).map(([k, v]) => [k.toLowerCase(), v]));
    captured = {
      method: init.method,
      url: url.pathname + url.search,
      headers,
      body: Buffer.from(init.body ?? ''),
    };
    return { status: 200, ok: true, headers: { get: () => null }, text: async () => '' };
  };
  const fetch = sigV4Fetch(capture, {
    region: options.region ?? settings.region,
    credentials: async () => {
      const pair = options.signer ?? key;
      return { ...pair, secretAccessKey: options.secret ?? pair.secretAccessKey };
    },
  });
  const signedAt = Date.now();
  await fetch(new URL(options.url ?? 'http://127.0.0.1:3000/releases?limit=5&status=IN_PROGRESS'), {
    method: options.method ?? 'GET',
    headers: { accept: 'application/json', 'user-agent': 'fleetwave-cli/test' },
    ...(options.body !== undefined && { body: options.body }),
    signal: new AbortController().signal,
  });
  if (!captured) throw new Error('nothing was sent');
  return { request: captured, signedAt };
}

async function refusal(request: SignedRequest, nowMs: number): Promise<string> {
  const error = await verifySigV4(request, settings, nowMs).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SigV4Refusal);
  return (error as SigV4Refusal).message;
}

const mismatch = /^The request signature we calculated does not match the signature you provided\./;

describe('verifySigV4', () => {
  it('accepts what the CLI signs with the stack key, and names the caller by access key id', async () => {
    const { request, signedAt } = await signed();
    expect(await verifySigV4(request, settings, signedAt)).toEqual({ accessKeyId: key.accessKeyId });
  });

  it('accepts a signed POST with a body, and an encoded path', async () => {
    const { request, signedAt } = await signed({
      method: 'POST',
      url: 'http://127.0.0.1:3000/releases/a%20b%2Fc/cancel',
      body: JSON.stringify({ comment: 'stop ✋' }),
    });
    expect(await verifySigV4(request, settings, signedAt)).toEqual({ accessKeyId: key.accessKeyId });
  });

  it('refuses an unsigned request as API Gateway does', async () => {
    const { request, signedAt } = await signed();
    const { authorization: _dropped, ...headers } = request.headers;
    expect(await refusal({ ...request, headers }, signedAt)).toBe('Missing Authentication Token');
    expect(await refusal({ ...request, headers: { ...headers, authorization: 'Bearer x' } }, signedAt)).toBe(
      'Missing Authentication Token',
    );
  });

  it('refuses a signature made with another secret', async () => {
    const { request, signedAt } = await signed({ secret: 'not-the-stack-secret-000000' });
    expect(await refusal(request, signedAt)).toMatch(mismatch);
  });

  it('refuses an access key the stack does not know', async () => {
    const { request, signedAt } = await signed();
    const authorization = String(request.headers.authorization).replace(key.accessKeyId, 'AKIDSOMEONEELSE00');
    expect(await refusal({ ...request, headers: { ...request.headers, authorization } }, signedAt)).toBe(
      'The security token included in the request is invalid.',
    );
  });

  it('refuses a body, a query or a path changed after signing', async () => {
    const post = await signed({ method: 'POST', url: 'http://127.0.0.1:3000/releases', body: '{"a":1}' });
    expect(await refusal({ ...post.request, body: Buffer.from('{"a":2}') }, post.signedAt)).toMatch(mismatch);
    const get = await signed();
    expect(
      await refusal({ ...get.request, url: '/releases?limit=6&status=IN_PROGRESS' }, get.signedAt),
    ).toMatch(mismatch);
    expect(
      await refusal({ ...get.request, url: '/job-templates?limit=5&status=IN_PROGRESS' }, get.signedAt),
    ).toMatch(mismatch);
  });

  it('refuses a signature more than 15 minutes from the gateway clock, either way', async () => {
    const { request, signedAt } = await signed();
    const minute = 60_000;
    expect(await verifySigV4(request, settings, signedAt + 14 * minute)).toEqual({
      accessKeyId: key.accessKeyId,
    });
    expect(await refusal(request, signedAt + 16 * minute)).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than /,
    );
    expect(await refusal(request, signedAt - 16 * minute)).toMatch(
      /^Signature not yet current: \d{8}T\d{6}Z is still later than /,
    );
  });

  it('refuses another region, another service and a signature that leaves out host', async () => {
    const other = await signed({ region: 'us-east-1' });
    expect(await refusal(other.request, other.signedAt)).toContain(
      'Credential should be scoped to a valid region',
    );
    const { request, signedAt } = await signed();
    const auth = String(request.headers.authorization);
    const withAuth = (authorization: string) => ({
      ...request,
      headers: { ...request.headers, authorization },
    });
    expect(await refusal(withAuth(auth.replace('/execute-api/', '/s3/')), signedAt)).toContain(
      "Credential should be scoped to correct service: 'execute-api'",
    );
    expect(await refusal(withAuth(auth.replace(';host;', ';')), signedAt)).toBe(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
    expect(await refusal(withAuth('AWS4-HMAC-SHA256 Credential=x'), signedAt)).toBe(
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.",
    );
  });

  it('refuses a date that only rolls over into a valid one (month 13, second 60) with the date message', async () => {
    const { request, signedAt } = await signed();
    const date = String(request.headers['x-amz-date']);
    for (const bad of [`${date.slice(0, 4)}13${date.slice(6)}`, `${date.slice(0, 13)}60Z`]) {
      const headers = { ...request.headers, 'x-amz-date': bad };
      expect(await refusal({ ...request, headers }, signedAt), bad).toMatch(
        /X-Amz-Date|Credential should be scoped/,
      );
    }
  });

  it('refuses, never throws on, a signed header named after an inherited property (constructor)', async () => {
    const { request, signedAt } = await signed();
    const auth = String(request.headers.authorization).replace(
      'SignedHeaders=',
      'SignedHeaders=constructor;',
    );
    const headers = { ...request.headers, authorization: auth };
    expect(await refusal({ ...request, headers }, signedAt)).toMatch(mismatch);
  });

  it('refuses a payload hash that is not the body’s', async () => {
    const { request, signedAt } = await signed({
      method: 'POST',
      url: 'http://127.0.0.1:3000/releases',
      body: '{}',
    });
    const headers = { ...request.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    expect(await refusal({ ...request, headers, body: Buffer.from('{"x":1}') }, signedAt)).toMatch(mismatch);
  });
});

describe('sigV4SettingsOf', () => {
  it('reads FLEETWAVE_LOCAL_AUTH=sigv4 with the stack key pair, and refuses anything else', () => {
    expect(sigV4SettingsOf({}, 'eu-west-1')).toBeUndefined();
    expect(
      sigV4SettingsOf(
        {
          FLEETWAVE_LOCAL_AUTH: 'sigv4',
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
        },
        'eu-west-1',
      ),
    ).toEqual({ ...settings, otherKeys: [] });
    expect(() => sigV4SettingsOf({ FLEETWAVE_LOCAL_AUTH: 'sigv4' }, 'eu-west-1')).toThrow(
      'FLEETWAVE_LOCAL_AUTH=sigv4 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
    expect(() => sigV4SettingsOf({ FLEETWAVE_LOCAL_AUTH: 'iam' }, 'eu-west-1')).toThrow(
      "FLEETWAVE_LOCAL_AUTH must be 'sigv4' or unset (got 'iam')",
    );
  });
});

describe('more than one caller (FLEETWAVE_LOCAL_SIGV4_KEYS)', () => {
  const second = { accessKeyId: 'AKIDLOCALTEST0002', secretAccessKey: 'second-secret' };
  const stackEnv = {
    FLEETWAVE_LOCAL_AUTH: 'sigv4',
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
  };

  it('reads extra key pairs, and refuses an entry that is not <id>:<secret>', () => {
    expect(
      sigV4SettingsOf(
        { ...stackEnv, FLEETWAVE_LOCAL_SIGV4_KEYS: 'AKIDLOCALTEST0002:second-secret, AKIDX3:s:3' },
        'eu-west-1',
      ),
    ).toEqual({ ...settings, otherKeys: [second, { accessKeyId: 'AKIDX3', secretAccessKey: 's:3' }] });
    for (const bad of ['AKIDLOCALTEST0002', ':secret', 'akid-lower:secret', 'AKIDLOCALTEST0002:']) {
      expect(() => sigV4SettingsOf({ ...stackEnv, FLEETWAVE_LOCAL_SIGV4_KEYS: bad }, 'eu-west-1')).toThrow(
        'FLEETWAVE_LOCAL_SIGV4_KEYS must list <access key id>:<secret> pairs',
      );
    }
  });

  it('accepts a signature by any listed key, each caller named by its own key id', async () => {
    const both = { ...settings, otherKeys: [second] };
    const first = await signed();
    expect(await verifySigV4(first.request, both, first.signedAt)).toEqual({ accessKeyId: key.accessKeyId });
    const other = await signed({ signer: second });
    expect(await verifySigV4(other.request, both, other.signedAt)).toEqual({
      accessKeyId: second.accessKeyId,
    });
  });

  it('checks each key against its own secret, and still refuses a key not listed', async () => {
    const both = { ...settings, otherKeys: [second] };
    // The second key id signed with the first key's secret: the pair is what counts.
    const crossed = await signed({ signer: second, secret: key.secretAccessKey });
    await expect(verifySigV4(crossed.request, both, crossed.signedAt)).rejects.toThrow(mismatch);
    const unlisted = await signed({ signer: second });
    await expect(verifySigV4(unlisted.request, settings, unlisted.signedAt)).rejects.toThrow(
      'The security token included in the request is invalid.',
    );
  });
});

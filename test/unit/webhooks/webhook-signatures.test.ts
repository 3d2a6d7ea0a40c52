import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../../lib/domain/errors.js';
import {
  constantTimeEqual,
  parseFleetwaveSignature,
  SIGNATURE_TOLERANCE_SECONDS,
  signFleetwavePayload,
  verifyFleetwaveSignature,
  verifyGitHubSignature,
  verifyGitLabToken,
  verifyWebhookRequest,
  webhookSchemeOf,
} from '../../../lib/domain/webhook-signatures.js';

const secret = "It's a Secret to Everybody";
const body = '{"ref":"refs/heads/main","after":"6113728f27ae82c7b1a177c8d03f9e96e0adf246"}';
const now = 1_767_225_600; // 2026-01-01T00:00:00Z

/** Asserts the one refusal every failure produces: same class, same message. */
function expectRefused(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UnauthorizedError);
  expect((thrown as Error).message).toBe('Invalid signature');
}

describe('GitHub X-Hub-Signature-256', () => {
  it("accepts GitHub's documented example signature", () => {
    // From GitHub's "Validating webhook deliveries" guide.
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(() => verifyGitHubSignature('Hello, World!', header, secret)).not.toThrow();
  });

  it('accepts a signature over the raw bytes', () => {
    const bytes = new TextEncoder().encode(body);
    const header = `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
    expect(() => verifyGitHubSignature(bytes, header, secret)).not.toThrow();
  });

  it('refuses a tampered body', () => {
    const header = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expectRefused(() => verifyGitHubSignature(body.replace('main', 'prod'), header, secret));
  });

  it('refuses a signature made with another secret', () => {
    const header = `sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`;
    expectRefused(() => verifyGitHubSignature(body, header, secret));
  });

  it('refuses a missing or malformed header', () => {
    expectRefused(() => verifyGitHubSignature(body, undefined, secret));
    expectRefused(() => verifyGitHubSignature(body, 'sha1=abcdef', secret));
    expectRefused(() => verifyGitHubSignature(body, 'sha256=short', secret));
  });

  it('accepts either secret during a rotation', () => {
    const header = `sha256=${createHmac('sha256', 'new-secret').update(body).digest('hex')}`;
    expect(() => verifyGitHubSignature(body, header, [secret, 'new-secret'])).not.toThrow();
  });

  it('refuses everything when no secret is configured', () => {
    const header = `sha256=${createHmac('sha256', '').update(body).digest('hex')}`;
    expectRefused(() => verifyGitHubSignature(body, header, ''));
    expectRefused(() => verifyGitHubSignature(body, header, []));
  });
});

describe('GitLab X-Gitlab-Token', () => {
  it('accepts the configured token', () => {
    expect(() => verifyGitLabToken('glpat-token', 'glpat-token')).not.toThrow();
  });

  it('refuses a wrong token, including a prefix of the right one', () => {
    expectRefused(() => verifyGitLabToken('glpat-tok', 'glpat-token'));
    expectRefused(() => verifyGitLabToken('glpat-token-and-more', 'glpat-token'));
  });

  it('refuses a missing or empty token', () => {
    expectRefused(() => verifyGitLabToken(undefined, 'glpat-token'));
    expectRefused(() => verifyGitLabToken('', 'glpat-token'));
  });
});

describe('X-Fleetwave-Signature', () => {
  const options = { nowSeconds: now };

  it('accepts what the signer produced and returns the signed timestamp', () => {
    const header = signFleetwavePayload(body, secret, now - 10);
    expect(verifyFleetwaveSignature(body, header, secret, options)).toBe(now - 10);
  });

  it('signs <t>.<body> with HMAC-SHA256 in hex', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signFleetwavePayload(body, secret, now)).toBe(`t=${now},v1=${expected}`);
  });

  it('refuses a tampered body', () => {
    const header = signFleetwavePayload(body, secret, now);
    expectRefused(() => verifyFleetwaveSignature(`${body} `, header, secret, options));
  });

  it('refuses a changed timestamp (the timestamp is signed too)', () => {
    const header = signFleetwavePayload(body, secret, now).replace(`t=${now}`, `t=${now - 1}`);
    expectRefused(() => verifyFleetwaveSignature(body, header, secret, options));
  });

  it('refuses a signature made with another secret', () => {
    const header = signFleetwavePayload(body, 'wrong', now);
    expectRefused(() => verifyFleetwaveSignature(body, header, secret, options));
  });

  it('refuses a missing or malformed header', () => {
    expectRefused(() => verifyFleetwaveSignature(body, undefined, secret, options));
    expectRefused(() => verifyFleetwaveSignature(body, `t=${now}`, secret, options));
    expectRefused(() => verifyFleetwaveSignature(body, 'v1=abc', secret, options));
    expectRefused(() =>
      verifyFleetwaveSignature(body, `t=${now},t=${now},v1=${'a'.repeat(64)}`, secret, options),
    );
  });

  it('refuses a replay older than five minutes', () => {
    const header = signFleetwavePayload(body, secret, now - SIGNATURE_TOLERANCE_SECONDS - 1);
    expectRefused(() => verifyFleetwaveSignature(body, header, secret, options));
  });

  it('accepts a signature exactly at the edge of the window', () => {
    const header = signFleetwavePayload(body, secret, now - SIGNATURE_TOLERANCE_SECONDS);
    expect(() => verifyFleetwaveSignature(body, header, secret, options)).not.toThrow();
  });

  it('refuses a timestamp more than five minutes in the future', () => {
    const header = signFleetwavePayload(body, secret, now + SIGNATURE_TOLERANCE_SECONDS + 1);
    expectRefused(() => verifyFleetwaveSignature(body, header, secret, options));
  });

  it('accepts any of several v1 signatures (the sender rotating its secret)', () => {
    const header = signFleetwavePayload(body, ['old-secret', 'new-secret'], now);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(() => verifyFleetwaveSignature(body, header, 'new-secret', options)).not.toThrow();
    expect(() => verifyFleetwaveSignature(body, header, 'old-secret', options)).not.toThrow();
    expectRefused(() => verifyFleetwaveSignature(body, header, 'third-secret', options));
  });

  it('accepts any of several configured secrets (the receiver rotating)', () => {
    const header = signFleetwavePayload(body, 'new-secret', now);
    expect(() => verifyFleetwaveSignature(body, header, ['old-secret', 'new-secret'], options)).not.toThrow();
  });

  it('ignores signature schemes it does not know', () => {
    const header = `${signFleetwavePayload(body, secret, now)},v0=${'0'.repeat(64)}`;
    expect(parseFleetwaveSignature(header)?.signatures).toHaveLength(1);
    expect(() => verifyFleetwaveSignature(body, header, secret, options)).not.toThrow();
  });

  it('refuses to sign with an empty secret or a fractional time', () => {
    expect(() => signFleetwavePayload(body, '', now)).toThrow(RangeError);
    expect(() => signFleetwavePayload(body, secret, now + 0.5)).toThrow(RangeError);
  });
});

describe('constantTimeEqual', () => {
  it('compares strings of different lengths without throwing', () => {
    expect(constantTimeEqual('a', 'ab')).toBe(false);
    expect(constantTimeEqual('same', 'same')).toBe(true);
  });
});

describe('verifyWebhookRequest', () => {
  const githubHeader = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('finds the scheme by the header a request carries, whatever its case', () => {
    expect(webhookSchemeOf({ headers: { 'X-Hub-Signature-256': githubHeader }, body })).toBe('github');
    expect(webhookSchemeOf({ headers: { 'x-gitlab-token': 't' }, body })).toBe('gitlab');
    expect(webhookSchemeOf({ headers: { 'x-fleetwave-signature': 't=1,v1=x' }, body })).toBe('generic');
    expect(webhookSchemeOf({ headers: { 'content-type': 'application/json' }, body })).toBeUndefined();
  });

  it('verifies each scheme with its own rule', () => {
    const generic = signFleetwavePayload(body, secret, now);
    expect(() =>
      verifyWebhookRequest('github', { headers: { 'X-Hub-Signature-256': githubHeader }, body }, secret, now),
    ).not.toThrow();
    expect(() =>
      verifyWebhookRequest('gitlab', { headers: { 'x-gitlab-token': secret }, body }, secret, now),
    ).not.toThrow();
    expect(() =>
      verifyWebhookRequest('generic', { headers: { 'x-fleetwave-signature': generic }, body }, secret, now),
    ).not.toThrow();
  });

  it('refuses a request whose scheme header is missing', () => {
    expectRefused(() =>
      verifyWebhookRequest('github', { headers: { 'x-gitlab-token': secret }, body }, secret, now),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../../../lib/domain/errors.js';
import {
  apiTokenOf,
  bearerChallenge,
  bearerToken,
  checkApiToken,
} from '../../../../local/http-api/api-token.js';

const TOKEN = 'local-api-token-0123456789abcdef';

describe('the local API token', () => {
  it('lets every request through when no token is configured (IAM guards the routes on AWS)', () => {
    expect(() => checkApiToken({}, undefined)).not.toThrow();
    expect(() => checkApiToken(undefined, undefined)).not.toThrow();
  });

  it('refuses a missing token with a Bearer challenge', () => {
    let thrown: unknown;
    try {
      checkApiToken({}, TOKEN);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnauthorizedError);
    expect((thrown as UnauthorizedError).challenge).toBe(bearerChallenge);
    expect((thrown as UnauthorizedError).message).toBe(
      'A valid bearer token is required (Authorization: Bearer <token>).',
    );
  });

  it('refuses a wrong token, a token of another length and another scheme', () => {
    for (const authorization of [
      `Bearer ${TOKEN.slice(0, -1)}x`,
      `Bearer ${TOKEN}0`,
      `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`,
      TOKEN,
    ]) {
      expect(() => checkApiToken({ authorization }, TOKEN), authorization).toThrow(UnauthorizedError);
    }
  });

  it('accepts the right token, whatever the case of the scheme', () => {
    expect(() => checkApiToken({ authorization: `Bearer ${TOKEN}` }, TOKEN)).not.toThrow();
    expect(() => checkApiToken({ authorization: `bearer ${TOKEN}` }, TOKEN)).not.toThrow();
  });

  it('reads the token of a header with any name case when the headers were built by hand', () => {
    expect(() => checkApiToken({ Authorization: `Bearer ${TOKEN}` }, TOKEN)).not.toThrow();
    expect(() => checkApiToken({}, TOKEN)).toThrow('A valid bearer token is required');
  });

  it('parses only a well-formed Bearer header', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('reads FLEETWAVE_API_TOKEN, and refuses one too short to guard anything', () => {
    expect(apiTokenOf({})).toBeUndefined();
    expect(apiTokenOf({ FLEETWAVE_API_TOKEN: TOKEN })).toBe(TOKEN);
    expect(() => apiTokenOf({ FLEETWAVE_API_TOKEN: 'short' })).toThrow(
      'FLEETWAVE_API_TOKEN must be at least 16 characters',
    );
  });
});

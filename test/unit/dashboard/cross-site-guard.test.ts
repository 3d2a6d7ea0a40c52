/** The cross-site guard's rules, one request at a time: what a browser page sends is refused, a tool's request is not. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { crossSiteRefusal } from '../../../dashboard/serve/cross-site-guard.js';

/** A request as it arrived on `port`, with only the headers the guard reads. */
function arrived(headers: Record<string, string>, port = 3100): IncomingMessage {
  return { headers, socket: { localPort: port } } as unknown as IncomingMessage;
}

describe('crossSiteRefusal', () => {
  it.each([
    ['a tool on 127.0.0.1', { host: '127.0.0.1:3100' }],
    ['a tool on localhost', { host: 'localhost:3100' }],
    ['a tool on [::1] with no port', { host: '[::1]' }],
    [
      'the page itself',
      { host: '127.0.0.1:3100', origin: 'http://127.0.0.1:3100', 'sec-fetch-site': 'same-origin' },
    ],
    ['the address bar', { host: 'localhost:3100', 'sec-fetch-site': 'none' }],
  ])('lets %s through', (_, headers) => {
    expect(crossSiteRefusal(arrived(headers))).toBeUndefined();
  });

  it.each([
    ['no Host', {}, 'The Host header does not name the local stack.'],
    ['a rebound domain', { host: 'rebind.example:3100' }, 'The Host header does not name the local stack.'],
    ['another port', { host: '127.0.0.1:3000' }, 'The Host header does not name the local stack.'],
    [
      'a cross-site fetch',
      { host: '127.0.0.1:3100', 'sec-fetch-site': 'cross-site' },
      'Cross-site requests from a browser are refused by the local stack.',
    ],
    [
      'a same-site page',
      { host: '127.0.0.1:3100', 'sec-fetch-site': 'same-site' },
      'Cross-site requests from a browser are refused by the local stack.',
    ],
    [
      'another origin',
      { host: '127.0.0.1:3100', origin: 'https://evil.example' },
      'Requests from another origin are refused by the local stack.',
    ],
    [
      'an opaque origin',
      { host: '127.0.0.1:3100', origin: 'null' },
      'Requests from another origin are refused by the local stack.',
    ],
    [
      'its own host over https',
      { host: '127.0.0.1:3100', origin: 'https://127.0.0.1:3100' },
      'Requests from another origin are refused by the local stack.',
    ],
  ])('refuses %s', (_, headers, message) => {
    expect(crossSiteRefusal(arrived(headers))).toBe(message);
  });

  it('compares the port an Origin names in effect: on port 80 the page’s Origin has none', () => {
    const page = { host: '127.0.0.1', origin: 'http://127.0.0.1', 'sec-fetch-site': 'same-origin' };
    expect(crossSiteRefusal(arrived(page, 80))).toBeUndefined();
    expect(crossSiteRefusal(arrived({ ...page, origin: 'http://localhost:80' }, 80))).toBeUndefined();
    expect(crossSiteRefusal(arrived({ ...page, host: '127.0.0.1:3100' }))).toBe(
      'Requests from another origin are refused by the local stack.',
    );
    expect(crossSiteRefusal(arrived({ host: '127.0.0.1:3100', origin: 'http://127.0.0.1:3000' }))).toBe(
      'Requests from another origin are refused by the local stack.',
    );
  });

  it('names the server it guards, and accepts its own host name besides the loopback names', () => {
    const rebound = arrived({ host: 'rebind.example:3100' });
    expect(crossSiteRefusal(rebound, '127.0.0.1', 'the dashboard proxy')).toBe(
      'The Host header does not name the dashboard proxy.',
    );
    expect(crossSiteRefusal(rebound, 'rebind.example')).toBeUndefined();
  });

  describe('a link from another site to a dashboard page', () => {
    const navigation = {
      host: '127.0.0.1:3100',
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
    };
    const request = (url: string, headers: Record<string, string> = navigation, method = 'GET') =>
      ({ ...arrived(headers), url, method }) as IncomingMessage;

    it.each(['/', '/dashboard/releases/rel-1', '/dashboard/templates?x=1'])(
      'opens %s on a server that serves the dashboard',
      (url) => {
        expect(
          crossSiteRefusal(request(url), '127.0.0.1', 'the local stack', { dashboardPages: true }),
        ).toBeUndefined();
      },
    );

    it.each([
      ['an API route', request('/releases')],
      ['an asset', request('/dashboard/assets/app.js')],
      ['a POST', request('/', navigation, 'POST')],
      [
        'a fetch, not a navigation',
        request('/', { ...navigation, 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' }),
      ],
      ['a frame', request('/', { ...navigation, 'sec-fetch-dest': 'iframe' })],
    ])('still refuses %s', (_, req) => {
      expect(crossSiteRefusal(req, '127.0.0.1', 'the local stack', { dashboardPages: true })).toBe(
        'Cross-site requests from a browser are refused by the local stack.',
      );
    });

    it('still refuses a rebound Host, and any page navigation where no dashboard is served', () => {
      const rebound = request('/', { ...navigation, host: 'rebind.example:3100' });
      expect(crossSiteRefusal(rebound, '127.0.0.1', 'the local stack', { dashboardPages: true })).toBe(
        'The Host header does not name the local stack.',
      );
      expect(crossSiteRefusal(request('/'))).toBe(
        'Cross-site requests from a browser are refused by the local stack.',
      );
    });
  });
});

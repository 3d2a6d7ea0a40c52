/**
 * Keeps web pages from driving a fleetwave server on loopback: the local
 * stack, and `fleetwave dashboard` in front of a deployed API. The stack
 * listens on loopback and, by default, asks for no token, so without this
 * any page the user visits could send a "simple" cross-site request (no
 * CORS preflight) to 127.0.0.1 and start releases, move the clock or inject
 * faults; and a page on a domain that resolves to 127.0.0.1 (DNS rebinding)
 * could even read the answers. The dashboard proxy signs what it forwards
 * with the user's AWS credentials, so for it the same request would be
 * signed and sent to AWS: a signing oracle.
 *
 * Refused, before any route or emulated service sees the request:
 * - a `Host` that is not a loopback name (or the stack's own host) on the
 *   port the request arrived on: a rebound domain;
 * - `Sec-Fetch-Site` other than `same-origin` or `none`: a browser sending
 *   for another site (except, on a server that serves the dashboard, a
 *   person following a link to one of its pages: see `isPageNavigation`);
 * - an `Origin` other than the stack's own: any other page.
 *
 * SDKs, the AWS CLI, curl and the fleetwave CLI send neither `Origin` nor
 * `Sec-Fetch-Site`, and a loopback `Host`: they are unaffected.
 *
 * It lives beside the dashboard's file server because both the local stack
 * (`local/`) and the CLI (`cli/`) use it, and neither may import the other;
 * `lib/` would be wrong, as it ships to Lambda.
 */
import type { IncomingMessage } from 'node:http';
import { dashboardTarget } from './assets.js';

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `host:port` split; the port is undefined when absent. */
function hostAndPort(value: string): { host: string; port: string | undefined } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(value);
  return { host: (match?.[1] ?? '').toLowerCase(), port: match?.[2] };
}

function isOwnHost(value: string, port: number, ownHost: string): boolean {
  const parsed = hostAndPort(value);
  const hostOk = loopbackNames.has(parsed.host) || parsed.host === ownHost.toLowerCase();
  return hostOk && (parsed.port === undefined || Number(parsed.port) === port);
}

/**
 * A person opening a dashboard page from a link on another site (chat,
 * a pull request, webmail): a top-level GET navigation to one of the
 * dashboard's page paths. It reads nothing and changes nothing (the page's
 * own calls that follow are same-origin), and a browser sends no `Origin` with
 * it; only its `Sec-Fetch-Site` says another site, so that alone may be let
 * through, never a rebound `Host`.
 */
function isPageNavigation(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.headers['sec-fetch-mode'] !== 'navigate' || req.headers['sec-fetch-dest'] !== 'document')
    return false;
  return dashboardTarget((req.url ?? '').split('?')[0] ?? '')?.kind === 'page';
}

/**
 * Why `req` is refused (for the 403's message), or undefined when it may go on.
 * @param ownHost a host name the server answers to besides the loopback names
 * @param server what the messages call the server
 * @param options.dashboardPages the server serves the dashboard: a link from another site may open its pages
 */
export function crossSiteRefusal(
  req: IncomingMessage,
  ownHost = '127.0.0.1',
  server = 'the local stack',
  options: { dashboardPages?: boolean } = {},
): string | undefined {
  const port = req.socket.localPort ?? 0;
  const host = req.headers.host;
  if (host === undefined || !isOwnHost(host, port, ownHost)) {
    return `The Host header does not name ${server}.`;
  }
  const site = req.headers['sec-fetch-site'];
  const navigation = options.dashboardPages === true && isPageNavigation(req);
  if (site !== undefined && site !== 'same-origin' && site !== 'none' && !navigation) {
    return `Cross-site requests from a browser are refused by ${server}.`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let ownOrigin = false;
    try {
      const url = new URL(origin);
      // The URL parser drops a default port (`http://127.0.0.1:80` is `http://127.0.0.1`): compare the port in effect.
      ownOrigin =
        url.protocol === 'http:' && isOwnHost(url.hostname, port, ownHost) && Number(url.port || 80) === port;
    } catch {
      ownOrigin = false;
    }
    if (!ownOrigin) return `Requests from another origin are refused by ${server}.`;
  }
  return undefined;
}

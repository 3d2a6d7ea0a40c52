/**
 * History API routing: every link is a real `<a href>` (it opens in a new
 * tab, copies, and works without the app), and a plain click on a link of
 * the page moves without a reload.
 */
import { useEffect, useState } from 'preact/hooks';

/** A page of the dashboard, from its URL. */
export type Route =
  | { page: 'releases' }
  | { page: 'release'; releaseId: string }
  | { page: 'templates' }
  | { page: 'template'; jobTemplateId: string }
  | { page: 'events' }
  | { page: 'missing' };

/** The page `pathname` names. */
export function routeOf(pathname: string): Route {
  if (pathname === '/' || pathname === '/dashboard' || pathname === '/dashboard/')
    return { page: 'releases' };
  let parts: string[];
  try {
    parts = pathname.replace(/\/+$/, '').split('/').slice(1).map(decodeURIComponent);
  } catch {
    // A broken percent-encoding (`%ZZ`) names no page.
    return { page: 'missing' };
  }
  if (parts[0] !== 'dashboard') return { page: 'missing' };
  if (parts[1] === 'releases' && parts.length === 2) return { page: 'releases' };
  if (parts[1] === 'releases' && parts[2] && parts.length === 3)
    return { page: 'release', releaseId: parts[2] };
  if (parts[1] === 'templates' && parts.length === 2) return { page: 'templates' };
  if (parts[1] === 'templates' && parts[2] && parts.length === 3)
    return { page: 'template', jobTemplateId: parts[2] };
  if (parts[1] === 'events' && parts.length === 2) return { page: 'events' };
  return { page: 'missing' };
}

/** The dashboard URL of a release's page. */
export const releaseHref = (releaseId: string) => `/dashboard/releases/${encodeURIComponent(releaseId)}`;
/** The dashboard URL of a template's page. */
export const templateHref = (id: string) => `/dashboard/templates/${encodeURIComponent(id)}`;

/** Goes to `href` (path and query) without a reload. */
export function navigate(href: string): void {
  if (href === location.pathname + location.search) return;
  history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The location as `{ pathname, search }`, following pushes and the Back button. */
export function useLocation(): { pathname: string; search: string } {
  const [where, setWhere] = useState({ pathname: location.pathname, search: location.search });
  useEffect(() => {
    const update = () => setWhere({ pathname: location.pathname, search: location.search });
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return where;
}

/**
 * Lets a plain left click on one of the page's own links move in place;
 * modified clicks (new tab, new window) and other sites are the browser's.
 */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest('a');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin) return;
    if (!(url.pathname === '/' || url.pathname.startsWith('/dashboard'))) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
    // Focus moves to the new page's heading, as a page load would put a screen reader there.
    queueMicrotask(() => document.querySelector<HTMLElement>('main h1')?.focus());
  });
}

/** The dashboard's frame: the header's navigation, and the page the URL names. */
import { useEffect, useState } from 'preact/hooks';
import { onUnauthorized, saveToken } from './api.js';
import { EventsPage } from './pages/events.js';
import { ReleaseList } from './pages/release-list.js';
import { ReleasePage } from './pages/release-page.js';
import { TemplateList, TemplatePage } from './pages/templates.js';
import { TokenForm } from './parts/token-form.js';
import { routeOf, useLocation } from './router.js';

function Page(props: { pathname: string; search: string }) {
  const route = routeOf(props.pathname);
  switch (route.page) {
    case 'releases':
      return <ReleaseList search={props.search} />;
    case 'release':
      return <ReleasePage key={route.releaseId} releaseId={route.releaseId} />;
    case 'templates':
      return <TemplateList />;
    case 'template':
      return <TemplatePage key={route.jobTemplateId} jobTemplateId={route.jobTemplateId} />;
    case 'events':
      return <EventsPage />;
    case 'missing':
      return (
        <main>
          <h1 tabIndex={-1}>Not found</h1>
          <p>
            No page here. <a href="/">All releases</a>
          </p>
        </main>
      );
  }
}

export function App() {
  const { pathname, search } = useLocation();
  const [needsToken, setNeedsToken] = useState(false);
  // Each saved token remounts the page, so every read starts again with it.
  const [generation, setGeneration] = useState(0);
  useEffect(
    () =>
      onUnauthorized(() => {
        saveToken(undefined);
        setNeedsToken(true);
      }),
    [],
  );
  const current = (...prefixes: string[]) =>
    prefixes.some((p) => (p === '/' ? pathname === p : pathname.startsWith(p))) ? 'page' : undefined;
  return (
    <>
      <a class="skip" href="#content">
        Skip to the content
      </a>
      <header>
        <a class="brand" href="/">
          fleetwave
        </a>
        <nav aria-label="Main">
          <a href="/" aria-current={current('/', '/dashboard/releases')}>
            Releases
          </a>
          <a href="/dashboard/templates" aria-current={current('/dashboard/templates')}>
            Templates
          </a>
          <a href="/dashboard/events" aria-current={current('/dashboard/events')}>
            Events
          </a>
        </nav>
      </header>
      <div id="content">
        {needsToken ? (
          <TokenForm
            onSaved={() => {
              setNeedsToken(false);
              setGeneration(generation + 1);
            }}
          />
        ) : (
          <Page key={generation} pathname={pathname} search={search} />
        )}
      </div>
    </>
  );
}

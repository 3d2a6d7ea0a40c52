/** Which paths are the dashboard's, and which are left to the API's routes. */
import { describe, expect, it } from 'vitest';
import { dashboardTarget } from '../../../dashboard/serve/assets.js';

describe('dashboardTarget', () => {
  it('answers the app at / and at every page under /dashboard/', () => {
    for (const path of ['/', '/dashboard', '/dashboard/', '/dashboard/releases/r-1', '/dashboard/events'])
      expect(dashboardTarget(path)).toEqual({ kind: 'page' });
  });

  it('answers a built file by its plain name only', () => {
    expect(dashboardTarget('/dashboard/assets/app.js')).toEqual({ kind: 'asset', name: 'app.js' });
    expect(dashboardTarget('/dashboard/assets/../secret')).toBeUndefined();
    expect(dashboardTarget('/dashboard/assets/a/b.js')).toBeUndefined();
  });

  it('leaves the API routes and the admin routes alone', () => {
    for (const path of ['/releases', '/releases/r-1', '/job-templates', '/_fleetwave/events'])
      expect(dashboardTarget(path)).toBeUndefined();
  });
});

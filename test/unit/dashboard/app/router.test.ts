import { describe, expect, it } from 'vitest';
import { routeOf } from '../../../../dashboard/app/router.js';

describe('the dashboard router', () => {
  it('names the pages of the dashboard URLs', () => {
    expect(routeOf('/')).toEqual({ page: 'releases' });
    expect(routeOf('/dashboard/releases/r%201')).toEqual({ page: 'release', releaseId: 'r 1' });
    expect(routeOf('/dashboard/templates/fw-2-0')).toEqual({ page: 'template', jobTemplateId: 'fw-2-0' });
    expect(routeOf('/dashboard/events')).toEqual({ page: 'events' });
  });

  it('answers a malformed percent-encoding with the not-found page, not an exception', () => {
    expect(routeOf('/dashboard/releases/%ZZ')).toEqual({ page: 'missing' });
    expect(routeOf('/dashboard/templates/%E0%A4%A')).toEqual({ page: 'missing' });
  });
});

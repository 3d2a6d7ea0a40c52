/**
 * The dashboard's build: small enough to load at once (at most 150 KB of JS
 * and CSS gzipped), and self-contained (nothing it loads comes from
 * elsewhere, so it works offline and under the page's `default-src 'self'`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, dashboardDist } from '../../../build/dashboard-bundle.mjs';

/** XML namespace names the UI library compares element namespaces with; never fetched. */
const namespaceNames = new Set([
  'http://www.w3.org/1998/Math/MathML',
  'http://www.w3.org/1999/xhtml',
  'http://www.w3.org/2000/svg',
  'http://www.w3.org/1999/xlink',
  'http://www.w3.org/XML/1998/namespace',
]);

describe('the dashboard bundle', () => {
  let js: string;
  let css: string;
  let html: string;

  beforeAll(async () => {
    const files = await buildDashboard();
    expect(files.map((f) => f.path.slice(dashboardDist.length + 1)).sort()).toEqual([
      'assets/app.css',
      'assets/app.js',
    ]);
    const read = (file: string) => readFile(join(dashboardDist, file), 'utf8');
    [js, css, html] = await Promise.all([read('assets/app.js'), read('assets/app.css'), read('index.html')]);
  }, 60_000);

  it('is at most 150 KB of JS and CSS gzipped', () => {
    const gzipped = gzipSync(js).length + gzipSync(css).length;
    console.log(`dashboard: app.js + app.css = ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeGreaterThan(1000);
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
  });

  it('references no external URL: no CDN, no font, nothing fetched from elsewhere', () => {
    for (const text of [js, css, html]) {
      const urls = [...text.matchAll(/(?:https?:)?\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s"'`)]*/gi)].map(
        (m) => m[0],
      );
      expect(urls.filter((u) => !namespaceNames.has(u))).toEqual([]);
    }
    expect(css).not.toMatch(/@import|url\(/);
    // The page loads exactly its own two files.
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])).toEqual([
      '/dashboard/assets/app.css',
      '/dashboard/assets/app.js',
    ]);
  });

  it('is minified and bundles neither zod nor Node code', () => {
    expect(js.split('\n').length).toBeLessThan(10);
    expect(js).not.toMatch(/node:|ZodError|createHash/);
  });
});

/** Types of build/dashboard-bundle.mjs, for the TypeScript that imports it (the tests, the screenshots script). */

/** Where the built dashboard goes (`dist/dashboard/`). */
export declare const dashboardDist: string;

/** One file the build wrote, and its size in bytes. */
export interface DashboardFile {
  readonly path: string;
  readonly bytes: number;
}

/** Builds the dashboard into `outdir` (`dist/dashboard/` by default); the JS and CSS files written. */
export declare function buildDashboard(options?: { outdir?: string }): Promise<DashboardFile[]>;

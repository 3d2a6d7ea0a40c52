/** Types of build/cli-bundle.mjs, for the TypeScript that imports it (the tests, the CLI benchmark). */

/** Where `npm install` puts the bundle. */
export declare const cliBundlePath: string;

/** One file of the bundle: where it goes and its text. */
export interface BundleFile {
  readonly path: string;
  readonly text: string;
}

/** Builds the CLI bundle from the sources; with `write: false`, only returns its files. */
export declare function buildCliBundle(options?: { outdir?: string; write?: boolean }): Promise<BundleFile[]>;

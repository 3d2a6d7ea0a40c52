/**
 * The app type-checks against the API's own view types (`lib/releases/
 * release-view.ts`), whose module graph reaches the release request's
 * digest, made with `node:crypto`. The browser never runs it (the app only
 * imports types); this declares the one function that module uses, so the
 * app's type check needs no Node types (whose timers and globals differ
 * from the DOM's).
 */
declare module 'node:crypto' {
  interface Hash {
    update(data: string): Hash;
    digest(encoding: 'hex'): string;
  }
  export function createHash(algorithm: string): Hash;
}

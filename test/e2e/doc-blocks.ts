/** The shell examples of the project's Markdown docs, for the tests that run them as written. */
import { readFileSync } from 'node:fs';

/** A document of the repository, by its path from the root (`docs/devices.md`). */
export function readDoc(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}

/** The one ```sh block of `doc` that contains `marker`; throws unless exactly one does. */
export function shBlockOf(doc: string, marker: string): string {
  const blocks = [...doc.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  const found = blocks.filter((b) => b.includes(marker));
  if (found.length !== 1) throw new Error(`${found.length} sh blocks contain ${marker}, not one`);
  return found[0] as string;
}

/**
 * The generated state machines and the text each one is committed as. The
 * generation script writes these files and a test checks the committed ones
 * against them, so the JSON users read and deploy is always the table's.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AslDefinition } from './asl.js';
import { buildMachine } from './build-machine.js';
import { releaseMachine } from './release-definition.js';

/** The project root, whatever the working directory. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Each generated machine: its file (from the project root) and its definition. */
export const generatedMachines: readonly { file: string; definition: () => AslDefinition }[] = [
  { file: 'state-machines/release.asl.json', definition: () => buildMachine(releaseMachine) },
];

/**
 * The file's text: the definition as JSON in biome's layout, the one
 * `npm run lint` accepts, so a regenerated file is committed as written.
 */
export function renderMachine(file: string, definition: AslDefinition): string {
  const biome = join(projectRoot, 'node_modules', '.bin', 'biome');
  return execFileSync(biome, ['format', `--stdin-file-path=${file}`], {
    cwd: projectRoot,
    input: `${JSON.stringify(definition, null, 2)}\n`,
    encoding: 'utf8',
  });
}

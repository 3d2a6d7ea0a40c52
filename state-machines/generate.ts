/**
 * `npm run generate:state-machine`: writes every generated state machine's
 * JSON from its table. Commit the table and the JSON together.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedMachines, projectRoot, renderMachine } from './render-machine.js';

for (const { file, definition } of generatedMachines) {
  const path = join(projectRoot, file);
  const text = renderMachine(file, definition());
  const changed = !existsSync(path) || readFileSync(path, 'utf8') !== text;
  if (changed) writeFileSync(path, text);
  console.log(`${file}: ${changed ? 'written' : 'unchanged'}`);
}

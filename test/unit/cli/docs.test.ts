/** docs/cli.md keeps up with the commands: every command, option and exit code is documented. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { globalOptions } from '../../../cli/args/spec.js';
import { commands } from '../../../cli/commands/index.js';
import { exitCodeMeanings } from '../../../cli/exit-codes.js';

const doc = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');

describe('docs/cli.md', () => {
  it.each(commands.map((c) => [c.path.join(' '), c] as const))(
    'documents fleetwave %s and its options',
    (_, c) => {
      expect(doc).toContain(`fleetwave ${c.path.join(' ')}`);
      for (const option of c.options) expect(doc, `--${option.name}`).toContain(`--${option.name}`);
    },
  );

  it('documents the global options and every exit code', () => {
    for (const option of globalOptions) expect(doc).toContain(`--${option.name}`);
    for (const [code] of exitCodeMeanings) expect(doc).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});

/** docs/cli.md keeps up with the commands: every command, option and exit code is documented. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { globalOptions } from '../../../cli/args/spec.js';
import { commands } from '../../../cli/commands/index.js';
import { exitCodeMeanings } from '../../../cli/exit-codes.js';
import { localUsage } from '../../../local/start/start-command.js';

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

  it('documents every option of fleetwave local, and an alias only as an alias of its option', () => {
    const section = doc.slice(doc.indexOf('### `fleetwave local`'), doc.indexOf('## In CI'));
    const options = [...localUsage('fleetwave local').matchAll(/^ {2}(--[a-z-]+)[^\n]*$/gm)];
    expect(options.length).toBeGreaterThan(0);
    for (const [line, option] of options) {
      const aliasOf = /the same as (--[a-z-]+)/.exec(line)?.[1];
      if (!aliasOf) {
        expect(section, option).toContain(`\`${option}\``);
        continue;
      }
      // Named once, as the alias it is, beside the option it stands for; examples use the option itself.
      expect(section.split(option!).length - 1, option).toBe(1);
      const at = section.indexOf(option!);
      const around = section.slice(Math.max(0, at - 100), at + 100);
      expect(around, option).toMatch(/alias/);
      expect(around, option).toContain(aliasOf);
    }
  });
});

/**
 * Help text, built from the command specs: the top-level usage, a group's
 * commands (`fleetwave releases`), and one command's usage, options and
 * examples.
 */
import { type CommandInfo, globalOptions, type OptionSpec } from './args/spec.js';
import { exitCodeMeanings } from './exit-codes.js';
import { formatTable } from './output/table.js';

const tagline = 'fleetwave: roll firmware and configuration out to AWS IoT fleets in waves';

function optionLabel(option: OptionSpec): string {
  const short = option.short ? `-${option.short}, ` : '    ';
  return `${short}--${option.name}${option.type === 'string' ? ` ${option.valueName ?? 'VALUE'}` : ''}`;
}

function optionLines(options: readonly OptionSpec[]): string[] {
  return formatTable(
    ['', ''],
    options.map((o) => [optionLabel(o), o.description]),
  )
    .slice(1)
    .map((l) => `  ${l}`);
}

/** `fleetwave releases get RELEASE_ID [options]` */
function usageLine(command: CommandInfo): string {
  const positionals = (command.positionals ?? []).map((p) => (p.optional ? `[${p.name}]` : p.name));
  return ['fleetwave', ...command.path, ...positionals, '[options]'].join(' ');
}

/** The full help of one command. */
export function commandHelp(command: CommandInfo): string {
  const lines = [`Usage: ${usageLine(command)}`, '', `${capitalise(command.summary)}.`];
  for (const paragraph of command.description ?? []) lines.push('', ...wrap(paragraph, 80));
  if (command.positionals?.length) {
    lines.push('', 'Arguments:');
    lines.push(
      ...formatTable(
        ['', ''],
        command.positionals.map((p) => [p.name, p.description]),
      )
        .slice(1)
        .map((l) => `  ${l}`),
    );
  }
  if (command.options.length > 0) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Global options:', ...optionLines(globalOptions));
  if (command.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const e of command.examples) lines.push(`  # ${e.comment}`, `  ${e.command}`, '');
    lines.pop();
  }
  return `${lines.join('\n')}\n`;
}

function commandTable(commands: readonly CommandInfo[]): string[] {
  return formatTable(
    ['', ''],
    commands.map((c) => [c.path.join(' '), c.summary]),
  )
    .slice(1)
    .map((l) => `  ${l}`);
}

/** What follows a usage error: the usage line and options, and where the examples are. */
export function commandUsage(command: CommandInfo): string {
  const lines = [`Usage: ${usageLine(command)}`];
  if (command.options.length > 0) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', `Run 'fleetwave ${command.path.join(' ')} --help' for every option and examples.`, '');
  return lines.join('\n');
}

/** The commands of one group (`fleetwave templates`). */
export function groupHelp(group: string, commands: readonly CommandInfo[]): string {
  const members = commands.filter((c) => c.path[0] === group);
  return [
    `Usage: fleetwave ${group} <command> [options]`,
    '',
    'Commands:',
    ...commandTable(members),
    '',
    `Run 'fleetwave ${group} <command> --help' for a command's options and examples.`,
    '',
  ].join('\n');
}

/** What follows a usage error outside any command: the usage and the commands. */
export function mainUsage(commands: readonly CommandInfo[]): string {
  return [
    'Usage: fleetwave <command> [options]',
    '',
    'Commands:',
    ...commandTable(commands),
    '',
    "Run 'fleetwave --help' for the global options, environment and exit codes.",
    '',
  ].join('\n');
}

/** The top-level help: every command, the global options, environment and exit codes. */
export function mainHelp(commands: readonly CommandInfo[]): string {
  return [
    tagline,
    '',
    'Usage: fleetwave <command> [options]',
    '',
    'Commands:',
    ...commandTable(commands),
    '',
    'Global options:',
    ...optionLines([
      ...globalOptions,
      { name: 'version', type: 'boolean', description: 'print the version' },
    ]),
    '',
    'Environment:',
    '  FLEETWAVE_API_URL      API base URL (--api-url wins)',
    '  FLEETWAVE_API_TOKEN    bearer token (--token wins)',
    '  AWS_REGION             region to sign for with --sigv4 when the URL names none',
    '  AWS_PROFILE, AWS_ACCESS_KEY_ID, ...  credentials for --sigv4 (the AWS SDK default chain)',
    '  NO_COLOR               no colour on a terminal',
    '',
    'Exit codes:',
    ...exitCodeMeanings.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`),
    '',
    "Run 'fleetwave <command> --help' for a command's options and examples.",
    '',
  ].join('\n');
}

/** Breaks a paragraph into lines of at most `width` columns, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

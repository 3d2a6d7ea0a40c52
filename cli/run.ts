/**
 * `runCli(argv, io)`: finds the command, parses its arguments, runs it and
 * turns every failure into a message and an exit code. It never calls
 * `process.exit`, so tests run it in-process with a fake {@link CliIo}.
 */
import { checkPositionals, parseCommandArgs, splitCommandWords } from './args/parse.js';
import { closest } from './args/suggest.js';
import { apiClientFor, type Command } from './commands/command.js';
import { commands } from './commands/index.js';
import { CliError, UsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { commandHelp, commandUsage, groupHelp, mainHelp, mainUsage } from './help.js';
import type { CliIo } from './io.js';
import { Output } from './output/output.js';
import { cliVersion } from './version.js';

const groups = [...new Set(commands.map((c) => c.path[0] as string))];

function isCommandPath(words: readonly string[]): boolean {
  return commands.some((c) => words.every((w, i) => c.path[i] === w));
}

function findCommand(words: readonly string[]): Command | undefined {
  return commands.find((c) => c.path.length === words.length && c.path.every((w, i) => words[i] === w));
}

/** The help a `help ...` or `--help` asks for; undefined when the words name nothing. */
function helpFor(words: readonly string[]): string | undefined {
  if (words.length === 0) return mainHelp(commands);
  const command = findCommand(words);
  if (command) return commandHelp(command);
  if (words.length === 1 && groups.includes(words[0] as string))
    return groupHelp(words[0] as string, commands);
  return undefined;
}

/**
 * The command the words name, or a usage error saying what is wrong with
 * them (unknown command with a suggestion, group without a command).
 */
function resolveCommand(words: readonly string[], rest: readonly string[]): Command {
  const command = findCommand(words);
  if (command) return command;
  const [group] = words;
  if (group === undefined) throw new UsageError('missing command');
  if (!groups.includes(group)) {
    const guess = closest(group, groups);
    throw new UsageError(`unknown command '${group}'${guess ? `. Did you mean '${guess}'?` : ''}`);
  }
  const sub = rest.find((a) => !a.startsWith('-'));
  const names = commands.filter((c) => c.path[0] === group).map((c) => c.path[1] as string);
  if (sub === undefined) throw new UsageError(`missing command: fleetwave ${group} <command>`, [group]);
  const guess = closest(sub, names);
  throw new UsageError(
    `unknown command '${group} ${sub}'${guess ? `. Did you mean '${group} ${guess}'?` : ''}`,
    [group],
  );
}

/** The usage printed after a usage error about `path` (a command, a group, or the whole tool). */
function usageAfterError(path: readonly string[] | undefined): string {
  const command = path ? findCommand(path) : undefined;
  if (command) return commandUsage(command);
  if (path?.length === 1) return groupHelp(path[0] as string, commands);
  return mainUsage(commands);
}

/** Runs a command that parses its own arguments, handing it `args` untouched. */
function runPassThrough(command: Command, args: readonly string[], io: CliIo, out: Output): Promise<number> {
  return command.run({
    io,
    args: parseCommandArgs({ ...command, options: [] }, []),
    positionals: args,
    out,
    api: () => {
      throw new Error(`${command.path.join(' ')} has no API client`);
    },
  });
}

/** Runs one command line; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Errors before the arguments are parsed still honour --json.
  let out = new Output(io, argv.includes('--json'));
  let current: Command | undefined;
  try {
    const { words, rest } = splitCommandWords(argv, isCommandPath);
    if (words[0] === 'help') {
      const topic = words.slice(1).concat(rest.filter((a) => !a.startsWith('-')));
      const command = findCommand(topic);
      // A command with its own parser has its own help.
      if (command?.passThrough) return await runPassThrough(command, ['--help'], io, out);
      const help = helpFor(topic);
      if (help === undefined) throw new UsageError(`no help for '${topic.join(' ')}'`);
      io.stdout.write(help);
      return ExitCode.OK;
    }
    if (words.length === 0 && rest.includes('--version')) {
      io.stdout.write(`${cliVersion}\n`);
      return ExitCode.OK;
    }
    const wantsHelp = rest.includes('--help') || rest.includes('-h');
    const command = findCommand(words);
    if (wantsHelp && !command?.passThrough) {
      const help = helpFor(words);
      if (help !== undefined) {
        io.stdout.write(help);
        return ExitCode.OK;
      }
    }
    current = resolveCommand(words, rest);
    if (current.passThrough) return await runPassThrough(current, rest, io, out);
    const args = parseCommandArgs(current, rest);
    out = new Output(io, args.flag('json'));
    const positionals = checkPositionals(current, args);
    return await current.run({ io, args, positionals, out, api: () => apiClientFor(args, io) });
  } catch (error) {
    if (error instanceof CliError) {
      out.error(error, current ? `fleetwave ${current.path.join(' ')}` : 'fleetwave');
      if (error instanceof UsageError)
        io.stderr.write(`\n${usageAfterError(current?.path ?? error.usageOf)}`);
      return error.exitCode;
    }
    io.stderr.write(
      `fleetwave: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.SOFTWARE;
  }
}

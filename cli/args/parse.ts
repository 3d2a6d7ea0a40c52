/**
 * Command-line parsing on `node:util` `parseArgs` tokens. parseArgs splits
 * the words; this module checks them against a command's spec and words its
 * own errors (an unknown option with a suggestion, an option missing its
 * value), because parseArgs' strict-mode messages are written for programmers.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { type CommandInfo, globalOptions, globalValueOptions, type OptionSpec } from './spec.js';
import { closest } from './suggest.js';

/** The options and positionals of one command line, read through typed accessors. */
export class ParsedArgs {
  constructor(
    private readonly values: ReadonlyMap<string, string | true>,
    readonly positionals: readonly string[],
  ) {}

  /** The value of a string option (the last one when given twice). */
  string(name: string): string | undefined {
    const value = this.values.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  /** True when a boolean option was given. */
  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** True when the option was given at all. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Names of the options given, in no particular order. */
  names(): string[] {
    return [...this.values.keys()];
  }
}

/**
 * Splits `argv` into the command words and the rest. Words are the leading
 * non-option arguments (global options with values may come before them:
 * `fleetwave --api-url URL releases list`); at most `maxWords` are taken.
 */
export function splitCommandWords(
  argv: readonly string[],
  isCommandPath: (words: readonly string[]) => boolean,
): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('-')) {
      rest.push(arg);
      if (globalValueOptions.has(arg) && i + 1 < argv.length) rest.push(argv[++i] as string);
      continue;
    }
    // Words go on while they extend a known command path; anything else is a positional.
    if (words.length === 0 || isCommandPath([...words, arg])) words.push(arg);
    else {
      rest.push(...argv.slice(i));
      break;
    }
  }
  return { words, rest };
}

function optionLabel(option: OptionSpec): string {
  return `--${option.name}`;
}

/** Parses the arguments after the command words against `command`'s options and the global ones. */
export function parseCommandArgs(command: CommandInfo, args: readonly string[]): ParsedArgs {
  const options = [...command.options, ...globalOptions];
  const byName = new Map(options.map((o) => [o.name, o]));
  const parseOptions = Object.fromEntries(
    options.map((o) => [o.name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  );
  const { tokens } = parseArgs({
    args: [...args],
    options: parseOptions,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  const usageOf = command.path;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = byName.get(token.name);
    if (!spec) {
      const guess = closest(
        token.name,
        options.map((o) => o.name),
      );
      throw new UsageError(
        `unknown option '${token.rawName}'${guess ? `. Did you mean '--${guess}'?` : ''}`,
        usageOf,
      );
    }
    if (spec.type === 'boolean') {
      if (token.value !== undefined)
        throw new UsageError(`option ${optionLabel(spec)} takes no value (got '${token.value}')`, usageOf);
      values.set(spec.name, true);
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('-') && value.length > 1)) {
      throw new UsageError(
        `option ${optionLabel(spec)} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}` +
          (value === undefined
            ? ''
            : `; got the option '${value}' (write ${optionLabel(spec)}=${value} if you mean it)`),
        usageOf,
      );
    }
    values.set(spec.name, value);
  }
  return new ParsedArgs(values, positionals);
}

/**
 * Checks the positionals against the command's spec: each required one is
 * present and there are no extras. Returns them in order.
 */
export function checkPositionals(command: CommandInfo, args: ParsedArgs): string[] {
  const specs = command.positionals ?? [];
  const required = specs.filter((p) => !p.optional);
  if (args.positionals.length < required.length) {
    const missing = required[args.positionals.length];
    throw new UsageError(`missing ${missing?.name ?? 'argument'}`, command.path);
  }
  if (args.positionals.length > specs.length) {
    const extra = args.positionals[specs.length];
    throw new UsageError(`unexpected argument '${extra}'`, command.path);
  }
  return [...args.positionals];
}

/**
 * How a command describes itself: its words, options, positionals, help text
 * and examples. The parser and the help printer both read these specs, so a
 * command's help can never disagree with what it accepts (and a test checks
 * that `docs/cli.md` names every command and option).
 */
export interface OptionSpec {
  /** Long name without the dashes: `api-url`. */
  readonly name: string;
  /** One-letter alias without the dash: `f`. */
  readonly short?: string;
  readonly type: 'string' | 'boolean';
  /** Placeholder shown in help (`FILE`, `N`); string options only. */
  readonly valueName?: string;
  readonly description: string;
}

interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly optional?: boolean;
}

interface Example {
  readonly command: string;
  readonly comment: string;
}

/** A command as the parser and the help printer see it. */
export interface CommandInfo {
  /** The words that select it: `['releases', 'create']`. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Paragraphs shown under the usage line. */
  readonly description?: readonly string[];
  readonly positionals?: readonly PositionalSpec[];
  readonly options: readonly OptionSpec[];
  readonly examples: readonly Example[];
}

/** Options every command accepts. */
export const globalOptions: readonly OptionSpec[] = [
  {
    name: 'api-url',
    type: 'string',
    valueName: 'URL',
    description: 'fleetwave API base URL (env FLEETWAVE_API_URL; default http://127.0.0.1:3000)',
  },
  {
    name: 'token',
    type: 'string',
    valueName: 'TOKEN',
    description: 'bearer token sent as Authorization (env FLEETWAVE_API_TOKEN)',
  },
  {
    name: 'sigv4',
    type: 'boolean',
    description:
      'sign requests with AWS SigV4 (IAM) using the AWS SDK credential chain; automatic for execute-api URLs',
  },
  { name: 'json', type: 'boolean', description: 'print machine-readable JSON on stdout only' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

/** Global options that take a value: needed to find the command words before the command is known. */
export const globalValueOptions = new Set(
  globalOptions.filter((o) => o.type === 'string').map((o) => `--${o.name}`),
);

/** What a command is given when it runs, and what it must provide. */
import { ApiClient } from '../api/client.js';
import { isExecuteApiUrl, signingRegion, sigV4Fetch } from '../api/sigv4-fetch.js';
import type { ParsedArgs } from '../args/parse.js';
import type { CommandInfo } from '../args/spec.js';
import type { CliIo } from '../io.js';
import type { Output } from '../output/output.js';
import { cliVersion } from '../version.js';

const defaultApiUrl = 'http://127.0.0.1:3000';

export interface CommandContext {
  readonly io: CliIo;
  readonly args: ParsedArgs;
  /** Positional arguments, already checked against the spec. */
  readonly positionals: readonly string[];
  readonly out: Output;
  /** The API client for `--api-url` / `--token` (or their environment variables). */
  api(): ApiClient;
}

/** A runnable command: its spec plus `run`, which resolves with the exit code. */
export interface Command extends CommandInfo {
  /**
   * The command parses its own arguments (`fleetwave local` hands them to
   * the local stack's parser): `run` gets them untouched as `positionals`.
   */
  readonly passThrough?: boolean;
  run(context: CommandContext): Promise<number>;
}

function setting(flag: string | undefined, env: string | undefined): string | undefined {
  if (flag !== undefined) return flag;
  return env === undefined || env === '' ? undefined : env;
}

/**
 * The client for this command line: flags win over `FLEETWAVE_API_URL` /
 * `FLEETWAVE_API_TOKEN`. Requests are signed with SigV4 for an execute-api
 * URL (API Gateway answers nothing else there) or with `--sigv4`.
 */
export function apiClientFor(args: ParsedArgs, io: CliIo): ApiClient {
  const token = setting(args.string('token'), io.env.FLEETWAVE_API_TOKEN);
  const apiUrl = setting(args.string('api-url'), io.env.FLEETWAVE_API_URL) ?? defaultApiUrl;
  const sign = args.flag('sigv4') || isExecuteApiUrl(apiUrl);
  return new ApiClient({
    apiUrl,
    ...(token ? { token } : {}),
    fetch: sign ? sigV4Fetch(io.fetch, { region: signingRegion(apiUrl, io.env) }) : io.fetch,
    userAgent: `fleetwave-cli/${cliVersion}`,
  });
}

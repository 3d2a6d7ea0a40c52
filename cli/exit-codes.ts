/**
 * The exit codes of `fleetwave`. Release outcomes take the small numbers so a
 * CI step can branch on them (`releases watch`, `releases create --watch`);
 * failures of the tool itself take numbers no release outcome uses, so a
 * script never mistakes "could not ask" for "the release failed".
 * Usage and input codes follow BSD sysexits(3).
 */
export const ExitCode = {
  /** The command did what was asked; a watched release SUCCEEDED. */
  OK: 0,
  /** A watched release FAILED. */
  RELEASE_FAILED: 1,
  /** A watched release was CANCELED. */
  RELEASE_CANCELED: 2,
  /** A watched release waits for approval and `--no-wait-approval` was given. */
  RELEASE_WAITING_APPROVAL: 3,
  /** The API refused the request (4xx: invalid, not found, conflict, unauthorized). */
  API_REFUSED: 4,
  /** The API failed or throttled (429, 5xx); trying again later may work. */
  API_FAILED: 5,
  /** The command line is wrong: unknown command or option, missing or bad value. */
  USAGE: 64,
  /** An input file is not valid JSON or YAML, or not the shape the command needs. */
  DATA: 65,
  /** An input file cannot be read. */
  NO_INPUT: 66,
  /** The API cannot be reached (connection refused, unknown host, no answer in time). */
  API_UNREACHABLE: 69,
  /** A fault in fleetwave itself, or an answer it cannot read. */
  SOFTWARE: 70,
  /** `releases watch --timeout` ran out before the release finished. */
  WATCH_TIMEOUT: 124,
  /** Interrupted (Ctrl-C); a watched release goes on. */
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Every exit code with what it means, for `--help` and the documentation. */
export const exitCodeMeanings: readonly (readonly [ExitCodeValue, string])[] = [
  [ExitCode.OK, 'success; a watched release SUCCEEDED'],
  [ExitCode.RELEASE_FAILED, 'a watched release FAILED'],
  [ExitCode.RELEASE_CANCELED, 'a watched release was CANCELED'],
  [ExitCode.RELEASE_WAITING_APPROVAL, 'a watched release waits for approval (--no-wait-approval)'],
  [ExitCode.API_REFUSED, 'the API refused the request (400, 401, 403, 404, 409, 413)'],
  [ExitCode.API_FAILED, 'the API failed or throttled (429, 5xx); try again later'],
  [ExitCode.USAGE, 'bad command line: unknown command or option, missing or bad value'],
  [ExitCode.DATA, 'an input file is not valid JSON/YAML or not an object'],
  [ExitCode.NO_INPUT, 'an input file cannot be read'],
  [ExitCode.API_UNREACHABLE, 'the API cannot be reached (start the local stack or fix --api-url)'],
  [ExitCode.SOFTWARE, 'an answer fleetwave cannot read, or a fault in fleetwave'],
  [ExitCode.WATCH_TIMEOUT, 'watch --timeout ran out before the release finished'],
  [ExitCode.INTERRUPTED, 'interrupted with Ctrl-C (a watched release goes on)'],
];

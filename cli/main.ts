/**
 * The `fleetwave` process: runs the command line against the real process
 * and leaves the exit code for Node to use once output has drained (calling
 * `process.exit` could cut off output written to a pipe).
 */
import { processIo } from './io.js';
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());

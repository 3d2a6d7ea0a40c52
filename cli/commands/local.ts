/** `fleetwave local`: the local stack, exactly as `npm start` runs it (same code, same flags). */
import type { Command } from './command.js';

export const localCommand: Command = {
  path: ['local'],
  summary: 'run the local stack on 127.0.0.1 (the same as npm start)',
  passThrough: true,
  options: [],
  examples: [{ command: 'fleetwave local --api-port 8080', comment: 'the REST API on port 8080' }],
  async run({ positionals, io }) {
    // Loaded on demand: the stack's modules would slow every other command's start.
    const { runLocal } = await import('../../local/start/start-command.js');
    const result = await runLocal(positionals, {
      prog: 'fleetwave local',
      env: io.env,
      stdout: (text) => io.stdout.write(text),
      stderr: (text) => io.stderr.write(text),
    });
    // Once running, the stack keeps the process alive and exits it on Ctrl-C.
    return result.status === 'exited' ? result.exitCode : 0;
  },
};

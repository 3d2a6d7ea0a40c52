/**
 * The local stack as `npm start --data-dir` launches it, for the tests of
 * what a data directory keeps across a restart: loopback ports chosen by the
 * system, a manual virtual clock, no log.
 */
import { VirtualClock } from '../../local/clock/virtual-clock.js';
import type { FleetSettings } from '../../local/resume/iot-snapshot.js';
import { type SeededStack, startSeededStack } from '../../local/start/seeded-stack.js';

/** Starts the seeded stack on `dataDir` with `fleet`; close it with `close()`. */
export function startDataDirStack(dataDir: string, fleet: FleetSettings): Promise<SeededStack> {
  return startSeededStack({
    awsPort: 0,
    apiPort: 0,
    clock: new VirtualClock({ mode: { kind: 'manual' } }),
    fleet,
    dataDir,
    logLevel: 'silent',
  });
}

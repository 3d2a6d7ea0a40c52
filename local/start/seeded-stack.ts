/**
 * The local stack as `npm start` and `npm run demo` run it: the stack, the
 * demo fleet and template, and with a data directory, the IoT state put back
 * and kept, and the releases that were under way resumed.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { VirtualClock } from '../clock/virtual-clock.js';
import { type LocalStack, startLocalStack } from '../endpoints.js';
import type { SeedFleetSummary } from '../fleet/seed-fleet.js';
import {
  type FleetSettings,
  type IotPersistence,
  persistIot,
  type RestoredIot,
  readIotSnapshot,
  restoreIotSnapshot,
} from '../resume/iot-snapshot.js';
import { type Reconciled, reconcileReleases } from '../resume/reconcile.js';
import { markRegistry } from '../resume/registry-changes.js';
import { demoProfiles, ensureDemoTemplate, seedDemoFleet } from './demo-fleet.js';

export interface SeededStackOptions {
  awsPort: number;
  apiPort: number;
  /** The MQTT broker's ports, as `startLocalStack` takes them; off when absent. */
  mqttPort?: number | false;
  mqttsPort?: number | false;
  clock: VirtualClock;
  /** Seeds this fleet; a data directory that recorded another fleet keeps its own. */
  fleet: FleetSettings;
  dataDir?: string;
  logLevel?: string;
}

export interface SeededStack {
  readonly stack: LocalStack;
  readonly fleet: SeedFleetSummary;
  /** The fleet the data directory recorded, when it differs from the one asked for. */
  readonly fleetFromDataDir?: FleetSettings;
  readonly templateCreated: boolean;
  /** What a data directory brought back. */
  readonly restored?: RestoredIot;
  /** The releases that were not finished (or whose cancel was not) when the stack last stopped. */
  readonly releases: Reconciled['releases'];
  /** History events the stop had left out, written again from the records. */
  readonly historyEventsRepaired: number;
  /** Writes the last IoT snapshot (with a data directory) and closes the stack. */
  close(): Promise<void>;
}

function awsClients(stack: LocalStack) {
  const config = {
    endpoint: stack.awsUrl,
    region: stack.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return { dynamodb: new DynamoDBClient(config), sfn: new SFNClient(config) };
}

/** Starts the stack; throws what `startLocalStack` throws (EADDRINUSE for a port in use). */
export async function startSeededStack(options: SeededStackOptions): Promise<SeededStack> {
  const snapshot = options.dataDir === undefined ? undefined : readIotSnapshot(options.dataDir);
  // The things a recorded job reached must exist again under the same names: the recorded plan wins.
  const fleetSettings = snapshot?.fleet ?? options.fleet;
  const stack = await startLocalStack({
    awsPort: options.awsPort,
    apiPort: options.apiPort,
    ...(options.mqttPort !== undefined && { mqttPort: options.mqttPort }),
    ...(options.mqttsPort !== undefined && { mqttsPort: options.mqttsPort }),
    clock: options.clock,
    profiles: demoProfiles,
    fleetSeed: fleetSettings.seed,
    ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
    ...(options.logLevel !== undefined && { logLevel: options.logLevel }),
  });
  let persistence: IotPersistence | undefined;
  const clients = awsClients(stack);
  const close = async () => {
    persistence?.close();
    clients.dynamodb.destroy();
    clients.sfn.destroy();
    await stack.close();
  };
  try {
    const fleet = seedDemoFleet(stack, fleetSettings);
    // What the seeding made is made again at every start; what comes after this mark is written.
    const seeded = markRegistry(stack.iot.registry.things);
    const simulator = stack.fleet.simulator;
    const restored = snapshot && (await restoreIotSnapshot(stack.iot, stack.clock, snapshot, simulator));
    const templateCreated = ensureDemoTemplate(stack);
    let reconciled: Reconciled = { releases: [], historyEventsRepaired: 0 };
    if (options.dataDir !== undefined) {
      persistence = persistIot(stack.iot, stack.clock, options.dataDir, fleetSettings, seeded, simulator);
      persistence.flush();
      reconciled = await reconcileReleases({
        ...clients,
        tableName: stack.dynamodb.tableName,
        stateMachineArn: stack.stateMachineArn,
      });
    }
    const differs =
      snapshot?.fleet &&
      (snapshot.fleet.size !== options.fleet.size || snapshot.fleet.seed !== options.fleet.seed);
    return {
      stack,
      fleet,
      ...(differs && { fleetFromDataDir: fleetSettings }),
      templateCreated,
      ...(restored && { restored }),
      releases: reconciled.releases,
      historyEventsRepaired: reconciled.historyEventsRepaired,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

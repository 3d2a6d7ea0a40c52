/**
 * Starts the local IoT endpoint (control plane, jobs data plane, files for
 * presigned URLs) on the shared AWS endpoint (127.0.0.1, a free
 * port) with a manual virtual clock, and an IoTClient pointed at it that
 * never retries, so tests see every error as the endpoint sent it.
 */
import { IoTClient } from '@aws-sdk/client-iot';
import { closeServer, listen } from '../../local/aws-endpoint/listen.js';
import { createAwsEndpoint } from '../../local/aws-endpoint/router.js';
import { VirtualClock } from '../../local/clock/virtual-clock.js';
import { createFilesService, type FilesService } from '../../local/files/files-service.js';
import { createIotEmulator, type IotEmulator, type IotEmulatorOptions } from '../../local/iot/index.js';

export interface IotEndpoint {
  /** `http://127.0.0.1:<port>` */
  url: string;
  emulator: IotEmulator;
  clock: VirtualClock;
  iot: IoTClient;
  /** Uploaded files (in memory), which job documents' presigned-URL placeholders point at. */
  files: FilesService;
  close(): Promise<void>;
}

export interface IotEndpointOptions extends Omit<IotEmulatorOptions, 'clock'> {
  /** Virtual epoch ms to start at; default 2026-01-01T00:00:00Z. */
  start?: number;
}

export async function startIotEndpoint(options: IotEndpointOptions = {}): Promise<IotEndpoint> {
  const { start, ...emulatorOptions } = options;
  const clock = new VirtualClock({ start: start ?? Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
  const emulator = createIotEmulator({ clock, ...emulatorOptions });
  const files = createFilesService({ clock });
  const server = createAwsEndpoint([emulator, emulator.jobsDataPlane, files]);
  const port = await listen(server, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  emulator.deviceJobs.setDocumentRenderer(files.documentRenderer(url));
  const iot = new IoTClient({
    endpoint: url,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
  return {
    url,
    emulator,
    clock,
    iot,
    files,
    close: async () => {
      iot.destroy();
      clock.stop();
      await closeServer(server);
    },
  };
}

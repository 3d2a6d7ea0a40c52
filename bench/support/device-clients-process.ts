/**
 * Starts `device-clients.ts` in a child Node process and calls it over IPC,
 * so a benchmark drives its devices from outside the stack's process.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientAnswer, ClientCalls, ClientRequest } from './device-clients.js';

const entry = join(dirname(fileURLToPath(import.meta.url)), 'device-clients.ts');

export interface DeviceClientsProcess {
  call<M extends keyof ClientCalls>(
    method: M,
    input: Parameters<ClientCalls[M]>[0],
  ): Promise<ReturnType<ClientCalls[M]>>;
  /** Closes the IPC channel; the process exits. */
  stop(): Promise<void>;
}

export function startDeviceClients(): DeviceClientsProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
  let seq = 0;
  child.on('message', (answer: ClientAnswer) => {
    const waiter = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.error !== undefined) waiter?.reject(new Error(`device clients: ${answer.error}`));
    else waiter?.resolve(answer.result);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`device clients exited (${code})`));
    waiting.clear();
  });
  return {
    call(method, input) {
      const id = seq++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, method, input } satisfies ClientRequest);
      });
    },
    async stop() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

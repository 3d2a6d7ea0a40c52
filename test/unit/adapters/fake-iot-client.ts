import type { IoTClient } from '@aws-sdk/client-iot';

/**
 * A fake IoT client for adapter unit tests: `answer` maps each sent command
 * to its output (an Error is thrown, as the SDK throws service exceptions),
 * and every command sent is recorded in `sent`, in order.
 */
export function fakeIotClient(answer: (command: object) => unknown): { client: IoTClient; sent: object[] } {
  const sent: object[] = [];
  const client = {
    send: async (command: object) => {
      sent.push(command);
      const out = answer(command);
      if (out instanceof Error) throw out;
      return { $metadata: { httpStatusCode: 200 }, ...(out as object) };
    },
  } as unknown as IoTClient;
  return { client, sent };
}

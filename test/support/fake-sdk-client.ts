/**
 * A fake AWS SDK client for adapter unit tests: `answer` maps each sent
 * command to its output (an Error is thrown, as the SDK throws service
 * exceptions), and every command sent is recorded in `sent`, in order.
 */
import type { IoTClient } from '@aws-sdk/client-iot';

export function fakeSdkClient<C>(answer: (command: object) => unknown): { client: C; sent: object[] } {
  const sent: object[] = [];
  const client = {
    send: async (command: object) => {
      sent.push(command);
      const out = answer(command);
      if (out instanceof Error) throw out;
      return { $metadata: { httpStatusCode: 200 }, ...(out as object) };
    },
  } as unknown as C;
  return { client, sent };
}

/** {@link fakeSdkClient} as an IoT client. */
export const fakeIotClient = (answer: (command: object) => unknown) => fakeSdkClient<IoTClient>(answer);

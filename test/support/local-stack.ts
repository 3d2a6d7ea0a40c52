/**
 * The local stack for tests: started on free ports, closed after the file's
 * tests, plus small helpers to call the REST API and the IoT admin surface.
 */
import { afterAll, beforeAll } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/endpoints.js';

/** Starts a stack on free loopback ports (manual virtual clock unless given one). */
export function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({ awsPort: 0, apiPort: 0, host: '127.0.0.1', ...options });
}

/**
 * Starts one stack before the file's tests and closes it after them; returns
 * a getter for use inside tests.
 */
export function useLocalStack(options: LocalStackOptions = {}): () => LocalStack {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startTestStack(options);
  });
  afterAll(async () => {
    await stack?.close();
  });
  return () => {
    if (!stack)
      throw new Error('The local stack is not started (call useLocalStack at the top of a describe).');
    return stack;
  };
}

/** An HTTP answer with its body parsed as JSON when there is one. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  json: any;
  text: string;
}

/**
 * Calls the fleetwave REST API. A string body is sent as is (to test
 * malformed JSON); anything else as JSON. `headers` are added to the request.
 */
export async function api(
  stack: LocalStack,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(stack.apiUrl + path, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Injects an IoT fault through the endpoint's HTTP admin surface, as a tool would. */
export async function injectIotFault(
  stack: LocalStack,
  fault: { operation: string; error: string; count?: number; rate?: number },
): Promise<void> {
  const res = await fetch(`${stack.awsUrl}/_fleetwave/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!res.ok) throw new Error(`fault injection failed: ${res.status} ${await res.text()}`);
}

/** Clears every injected IoT fault. */
export async function clearIotFaults(stack: LocalStack): Promise<void> {
  const res = await fetch(`${stack.awsUrl}/_fleetwave/faults`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`clearing faults failed: ${res.status}`);
}

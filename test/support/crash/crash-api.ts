/**
 * The REST API and the admin routes as a crash run calls them: every call
 * resolves, with the HTTP status and body, or with `status: 0` when no answer
 * came (the process died under it, or was not listening yet).
 */

/** An answer of the stack, or `status: 0` when there was none. */
export interface CrashAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body, read by the caller that knows its shape
  readonly json: any;
  readonly error?: string;
}

/** A call that gets no answer within this long is given up (the process may be stopped, not dead). */
const callTimeoutMs = 15_000;

/** Sends one request; never throws. */
export async function crashCall(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<CrashAnswer> {
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(callTimeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  } catch (error) {
    return { status: 0, json: undefined, error: String(error) };
  }
}

/** A release's status-change and creation events, as `GET /releases/{id}/history` lists them. */
export interface HistoryEvent {
  readonly type: string;
  readonly at: string;
  readonly waveNumber?: number;
  readonly from?: string;
  readonly to?: string;
  readonly reason?: string;
  readonly jobId?: string;
}

/** Every page of a release's history, oldest first; throws when the stack does not answer. */
export async function readHistory(apiUrl: string, releaseId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const query = `limit=500${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
    const answer = await crashCall(apiUrl, 'GET', `/releases/${releaseId}/history?${query}`);
    if (answer.status !== 200)
      throw new Error(`history of ${releaseId}: ${answer.status} ${answer.error ?? ''}`);
    events.push(...(answer.json.items as HistoryEvent[]));
    nextToken = answer.json.nextToken;
  } while (nextToken);
  return events;
}

/** One wave's state in `GET /releases/{id}`. */
interface WaveView {
  readonly waveNumber: number;
  readonly status: string;
  readonly jobId?: string;
  readonly startedAt?: string;
  readonly thingGroupName?: string;
  readonly expectedThings?: number;
  readonly counts?: Record<string, number>;
  readonly waitingFor?: string;
}

/** `GET /releases/{id}`: the release and its waves. */
export interface ReleaseView {
  readonly release: { releaseId: string; status: string; statusReason?: string; currentWave?: number };
  readonly waves: WaveView[];
}

/** The release view, or undefined when the stack does not answer it (yet). */
export async function readRelease(apiUrl: string, releaseId: string): Promise<ReleaseView | undefined> {
  const answer = await crashCall(apiUrl, 'GET', `/releases/${releaseId}`);
  return answer.status === 200 ? (answer.json as ReleaseView) : undefined;
}

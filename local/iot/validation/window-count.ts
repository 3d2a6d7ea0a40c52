/**
 * The local IoT's own cap on maintenance windows. AWS publishes none, but
 * every window is a cron expression asked about on each rollout tick and
 * each DescribeJob: a request with thousands of them would stall the stack.
 */
import { invalidRequest } from '../errors.js';

/** The most maintenance windows a job or job template may have in the local IoT. */
const MAX_MAINTENANCE_WINDOWS = 100;

/** Refuses more than {@link MAX_MAINTENANCE_WINDOWS} windows in the field `path` of a request. */
export function checkWindowCount(windows: readonly unknown[] | undefined, path: string): void {
  if (windows === undefined || windows.length <= MAX_MAINTENANCE_WINDOWS) return;
  throw invalidRequest(
    `${path} has ${windows.length} maintenance windows; the local IoT takes at most ${MAX_MAINTENANCE_WINDOWS}.`,
  );
}

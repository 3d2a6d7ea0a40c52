/** The steps a job goes through on the device, as reported in `statusDetails.step`. */
export type JobStep = 'starting' | 'downloading' | 'verifying' | 'installing' | 'done';

/** AWS's limit on one statusDetails value; longer reasons are cut. */
const MAX_DETAIL_LENGTH = 1024;

/**
 * A statusDetails value AWS accepts: no control characters (pattern `[^\p{C}]+`),
 * not empty, at most 1024 characters. Error messages can hold newlines, hence the clean-up.
 */
export function detailValue(text: string): string {
  const clean = text
    .replace(/\p{C}+/gu, ' ')
    .trim()
    .slice(0, MAX_DETAIL_LENGTH);
  return clean === '' ? '-' : clean;
}

/** statusDetails for a step, with its optional extra entries cleaned for AWS. */
export function stepDetails(step: JobStep, extra: Record<string, string> = {}): Record<string, string> {
  const details: Record<string, string> = { step };
  for (const [key, value] of Object.entries(extra)) details[key] = detailValue(value);
  return details;
}

/** How often download progress is reported: every quarter, so a job costs at most four progress updates. */
export const PROGRESS_EVERY_PERCENT = 25;

/**
 * The percentage to report after `received` of `total` bytes, or undefined when
 * no new quarter has been crossed since `lastReported` (or the total is unknown).
 */
export function progressToReport(
  received: number,
  total: number | undefined,
  lastReported: number,
): number | undefined {
  if (total === undefined || total <= 0) return undefined;
  const percent = Math.min(100, Math.floor((received / total) * 100));
  const mark = percent - (percent % PROGRESS_EVERY_PERCENT);
  return mark > lastReported ? mark : undefined;
}

/**
 * Inheritance of job settings: a job created from a template (or a template
 * created from a job) starts from the source's document and configurations,
 * and whatever the request itself gives wins, field by field.
 */
import type { MaintenanceWindows, SchedulingConfig } from '../../../lib/domain/iot-job-settings.js';
import type { JobSettings } from './job-records.js';

const settingKeys = [
  'document',
  'documentSource',
  'presignedUrlConfig',
  'jobExecutionsRolloutConfig',
  'abortConfig',
  'timeoutConfig',
  'jobExecutionsRetryConfig',
] as const satisfies readonly (keyof JobSettings)[];

/** The settings of `source`, without absent ones. */
function settingsOf(source: Readonly<JobSettings>): JobSettings {
  const out: Record<string, unknown> = {};
  for (const key of settingKeys) if (source[key] !== undefined) out[key] = structuredClone(source[key]);
  return out as JobSettings;
}

/**
 * `base` overridden by `override`. A document given in the request replaces
 * both document and documentSource of the base: a job has one document.
 */
export function mergeSettings(base: Readonly<JobSettings>, override: Readonly<JobSettings>): JobSettings {
  const merged = { ...settingsOf(base) };
  if (override.document !== undefined || override.documentSource !== undefined) {
    delete merged.document;
    delete merged.documentSource;
  }
  return { ...merged, ...settingsOf(override) };
}

/**
 * A job's scheduling config with the template's maintenance windows
 * inherited when the request gives none (an empty list given on purpose
 * stays empty: the job then rolls out at any time).
 */
export function inheritWindows(
  requested: SchedulingConfig | undefined,
  templateWindows: MaintenanceWindows | undefined,
): SchedulingConfig | undefined {
  if (templateWindows === undefined || requested?.maintenanceWindows !== undefined) return requested;
  return { ...requested, maintenanceWindows: structuredClone(templateWindows) };
}

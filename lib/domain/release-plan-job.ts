/**
 * The CreateJob request a planned wave would send, as IoT reads it: the job
 * template's settings, overridden member by member by what the wave sets
 * (the merge AWS IoT applies to a job created from a template).
 */
import type { SchedulingConfig } from './iot-job-settings.js';
import type { JobTemplate } from './job-template.js';
import type { WaveJobOverrides } from './wave-job.js';

/** The parts of the workflow's CreateJob request a plan shows. */
export interface WaveJobCall {
  jobId: string;
  jobTemplateArn: string;
  /** Thing and thing-group ARNs. */
  targets: string[];
  description: string;
  overrides: WaveJobOverrides;
  /** The wave's windows and the release's end, as StartWave would send them. */
  schedulingConfig?: SchedulingConfig | undefined;
}

/** A CreateJob request with the template's settings merged in. */
export type PlannedCreateJob = Omit<JobTemplate, 'jobTemplateId' | 'createdAt' | 'maintenanceWindows'> &
  WaveJobOverrides & {
    /** What the job keeps to: the wave's windows, else the template's (IoT's inheritance), and the release's end. */
    schedulingConfig?: SchedulingConfig;
    jobId: string;
    targets: string[];
    /** The workflow creates every wave's job as a snapshot: things joining a group later belong to no wave. */
    targetSelection: 'SNAPSHOT';
    description: string;
  };

/** `call` with `template`'s document and configurations merged under it. */
export function plannedCreateJob(call: WaveJobCall, template: JobTemplate): PlannedCreateJob {
  const {
    jobTemplateId: _id,
    createdAt: _at,
    description: _description,
    maintenanceWindows: templateWindows,
    ...settings
  } = template;
  const windows = call.schedulingConfig?.maintenanceWindows ?? templateWindows;
  const schedulingConfig = { ...call.schedulingConfig, ...(windows && { maintenanceWindows: windows }) };
  return {
    ...settings,
    ...(Object.keys(schedulingConfig).length > 0 && { schedulingConfig }),
    ...call.overrides,
    jobId: call.jobId,
    jobTemplateArn: call.jobTemplateArn,
    targets: call.targets,
    targetSelection: 'SNAPSHOT',
    description: call.description,
  };
}

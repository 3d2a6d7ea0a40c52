/**
 * Job templates. AWS never updates a template: it is created once and can
 * only be deleted, so the records are frozen.
 */

import type { MaintenanceWindows, Tag } from '../../../lib/domain/iot-job-settings.js';
import type { Clock } from '../../clock/clock.js';
import type { ArnFactory } from '../arn.js';
import { IotError } from '../errors.js';
import type { JobSettings } from '../jobs/job-records.js';
import { SeqList } from '../pagination.js';

export interface JobTemplateRecord extends Readonly<JobSettings> {
  readonly jobTemplateId: string;
  readonly jobTemplateArn: string;
  readonly description: string;
  /** Virtual epoch ms. */
  readonly createdAt: number;
  readonly tags?: readonly Tag[];
  /** Inherited by a job created from the template whose request gives none. */
  readonly maintenanceWindows?: MaintenanceWindows;
}

export interface CreateJobTemplateInput extends JobSettings {
  jobTemplateId: string;
  description: string;
  tags?: Tag[];
  maintenanceWindows?: MaintenanceWindows;
}

interface StoredTemplate extends JobTemplateRecord {
  readonly seq: number;
}

export class JobTemplateStore {
  private readonly templates = new Map<string, StoredTemplate>();
  readonly list = new SeqList<JobTemplateRecord>(
    (t, seq) => this.templates.get(t.jobTemplateId)?.seq === seq,
  );
  private seq = 0;

  constructor(
    private readonly arns: ArnFactory,
    private readonly clock: Clock,
  ) {}

  /** Creates a template; ConflictException when the id is taken, as AWS answers. */
  create(input: CreateJobTemplateInput): JobTemplateRecord {
    if (this.templates.has(input.jobTemplateId)) {
      throw new IotError('ConflictException', `Job template ${input.jobTemplateId} already exists.`, {
        resourceId: input.jobTemplateId,
      });
    }
    const record: StoredTemplate = Object.freeze(
      structuredClone({
        ...input,
        jobTemplateArn: this.arns.jobTemplate(input.jobTemplateId),
        createdAt: this.clock.now(),
        seq: ++this.seq,
      }),
    );
    this.templates.set(record.jobTemplateId, record);
    this.list.push(record.seq, record);
    return record;
  }

  get(jobTemplateId: string): JobTemplateRecord | undefined {
    return this.templates.get(jobTemplateId);
  }

  /** Deletes a template; false when there was none. */
  delete(jobTemplateId: string): boolean {
    if (!this.templates.delete(jobTemplateId)) return false;
    this.list.markStale();
    return true;
  }
}

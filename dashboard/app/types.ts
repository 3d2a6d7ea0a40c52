/**
 * The shapes the dashboard reads from the REST API. Types only: the release
 * views come from the API's own definitions, so a change there shows here as
 * a type error; nothing of `lib/` (nor zod) is bundled into the page.
 */
import type { JobProcessCounts } from '../../lib/domain/wave-progress.js';
import type { FailureReasons, WaveExecution } from '../../lib/releases/execution-schemas.js';
import type { HistoryEventView, ReleaseSummary, ReleaseView } from '../../lib/releases/release-view.js';

export type {
  FailureReasons,
  HistoryEventView,
  JobProcessCounts,
  ReleaseSummary,
  ReleaseView,
  WaveExecution,
};

/** A page of a listing. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** One wave's state as GET /releases/{id} shows it. */
export type WaveView = ReleaseView['waves'][number];
/** One wave's definition (thresholds, bake, approval). */
export type WaveDefinition = ReleaseView['release']['waves'][number];

/** An item of GET /job-templates; the details add the IoT fields. */
export interface JobTemplateSummary {
  jobTemplateId: string;
  jobTemplateArn: string;
  description?: string;
  createdAt?: string;
}

/** An EventBridge event the local stack recorded. */
export interface LocalEvent {
  id: string;
  'detail-type': string;
  source: string;
  time: string;
  eventBusName?: string;
  resources?: string[];
  detail: unknown;
}

/** An SNS message the local stack recorded. */
export interface LocalMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  timestamp: string;
}

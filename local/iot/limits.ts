/** Service limits the endpoint enforces: AWS's defaults unless a caller (a test) wants them small. */
export interface IotLimits {
  /** IN_PROGRESS and SCHEDULED jobs at once; a CreateJob beyond it is LimitExceededException. */
  maxActiveJobs: number;
  /** Jobs in DELETION_IN_PROGRESS at once (AWS: 10); a DeleteJob beyond it is LimitExceededException. */
  maxDeletionsInProgress: number;
  /** Virtual time a DeleteJob takes before the job is gone (it shows DELETION_IN_PROGRESS meanwhile). */
  deletionDelayMs: number;
  /**
   * Requests per second (virtual time) each operation accepts before
   * answering ThrottlingException, as AWS's per-API rates do (about 10 for
   * the jobs APIs). Undefined, the default: never throttled.
   */
  requestsPerSecond?: number;
  /**
   * Requests per second (virtual time) each operation of the jobs data plane
   * accepts before answering ThrottlingException (429); AWS allows 200 for
   * each of its four device APIs. Undefined, the default: never throttled.
   */
  jobsDataRequestsPerSecond?: number;
}

export const defaultIotLimits: IotLimits = {
  maxActiveJobs: 1000,
  maxDeletionsInProgress: 10,
  deletionDelayMs: 1000,
};

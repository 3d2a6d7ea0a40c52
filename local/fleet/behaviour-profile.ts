/**
 * Behaviour profiles: how simulated devices answer a job execution.
 *
 * A profile set has a default (an outcome mix and two latency distributions)
 * and an ordered list of overrides, each matching things by thing group, by
 * thing-name glob or by thing-name regular expression. This file holds the
 * JSON format (a zod schema, so the admin API can validate what it is sent)
 * and the defaults; `profile-resolver.ts` turns a profile set into the
 * behaviour of one thing.
 */
import { z } from 'zod';
import { ValidationError } from '../../lib/domain/errors.js';
import { regexSourceSchema } from '../../lib/domain/regex-source.js';
import { statusDetailsSchema } from '../iot/device-jobs/device-job-schemas.js';

/** The outcomes a device can give an attempt, other than succeeding. */
export const deviceFailureModes = ['fail', 'reject', 'offline', 'hang'] as const;
export type DeviceFailureMode = (typeof deviceFailureModes)[number];

/** What a device does with one attempt: the failure modes plus `succeed`. */
export type DeviceOutcome = DeviceFailureMode | 'succeed';

const probability = z.number().min(0, 'must be at least 0').max(1, 'must be at most 1');

/** One week, the longest `inProgressTimeoutInMinutes` AWS accepts: a longer latency is a hang. */
const maxLatencySeconds = 7 * 24 * 3600;

const latencySchema = z.strictObject({
  /** Half of the attempts take less than this, in virtual seconds. */
  medianSeconds: z.number().min(0, 'must be at least 0').max(maxLatencySeconds),
  /**
   * Sigma of the underlying normal of a lognormal distribution: 0 gives
   * exactly the median every time; 0.5 puts ~95% of draws within a factor
   * of e (about 2.7) of the median.
   */
  spread: z.number().min(0, 'must be at least 0').max(3, 'must be at most 3').optional(),
});

const outcomeMixSchema = z.strictObject({
  fail: probability.optional(),
  reject: probability.optional(),
  offline: probability.optional(),
  hang: probability.optional(),
});

/**
 * What a device reports in `statusDetails` when it fails or rejects an
 * attempt (AWS's limits: at most 10 entries). A timed-out or offline device
 * reports nothing: it never answers.
 */
const failureDetailsSchema = z.strictObject({
  fail: statusDetailsSchema.optional(),
  reject: statusDetailsSchema.optional(),
});

const sumOfMix = (mix: OutcomeMix): number =>
  deviceFailureModes.reduce((sum, mode) => sum + (mix[mode] ?? 0), 0);
/** Allows for decimal fractions that do not add up exactly in binary. */
const sumTolerance = 1e-9;

const overrideSchema = z
  .strictObject({
    /** A label for people reading the profile; not used for matching. */
    name: z.string().max(128).optional(),
    match: z
      .strictObject({
        /** A thing group the thing belongs to (directly or through a parent group). */
        thingGroup: z.string().min(1).max(128).optional(),
        /** A glob over the whole thing name: `*` any run of characters, `?` one character. */
        thingName: z.string().min(1).max(128).optional(),
        /** A JavaScript regular expression tested against the thing name (anchor it to match all of it). */
        thingNameRegex: regexSourceSchema(512).optional(),
      })
      .refine(
        (m) => m.thingGroup !== undefined || m.thingName !== undefined || m.thingNameRegex !== undefined,
        {
          message: 'must set at least one of thingGroup, thingName and thingNameRegex',
        },
      ),
    outcomes: outcomeMixSchema.optional(),
    startLatency: latencySchema.optional(),
    runLatency: latencySchema.optional(),
    statusDetails: failureDetailsSchema.optional(),
  })
  .refine((o) => o.outcomes === undefined || sumOfMix(o.outcomes) <= 1 + sumTolerance, {
    message: 'outcome probabilities must add up to at most 1',
    path: ['outcomes'],
  });

const defaultBehaviourSchema = z.strictObject({
  outcomes: outcomeMixSchema.refine((mix) => sumOfMix(mix) <= 1 + sumTolerance, {
    message: 'outcome probabilities must add up to at most 1',
  }),
  startLatency: latencySchema,
  runLatency: latencySchema,
  statusDetails: failureDetailsSchema.optional(),
});

/** The JSON format of a profile set, as the admin API accepts it. */
const behaviourProfilesSchema = z.strictObject({
  default: defaultBehaviourSchema,
  overrides: z.array(overrideSchema).max(100, 'must hold at most 100 overrides').optional(),
});

export type LatencySpec = z.infer<typeof latencySchema>;
/** Probabilities of the failure modes; what is left up to 1 is the probability of success. */
export type OutcomeMix = z.infer<typeof outcomeMixSchema>;
/** What a failing or rejecting device reports, by failure mode. */
export type FailureDetails = z.infer<typeof failureDetailsSchema>;
export type BehaviourOverride = z.infer<typeof overrideSchema>;
export type BehaviourProfiles = z.infer<typeof behaviourProfilesSchema>;

/** What devices report when no profile says otherwise. */
export const defaultFailureDetails: Required<FailureDetails> = {
  fail: { reason: 'install-failed' },
  reject: { reason: 'rejected-by-device' },
};

/**
 * A healthy fleet: nearly every device succeeds within a few minutes, a few
 * fail, reject, stay offline or hang, as a real fleet does.
 */
export const defaultBehaviourProfiles: BehaviourProfiles = {
  default: {
    outcomes: { fail: 0.01, reject: 0.005, offline: 0.005, hang: 0.002 },
    startLatency: { medianSeconds: 20, spread: 0.6 },
    runLatency: { medianSeconds: 180, spread: 0.5 },
  },
  overrides: [],
};

/** Validates untrusted input (the admin API's body); throws a ValidationError naming every bad field. */
export function parseBehaviourProfiles(input: unknown): BehaviourProfiles {
  const parsed = behaviourProfilesSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('Invalid behaviour profiles.', parsed.error);
  return parsed.data;
}

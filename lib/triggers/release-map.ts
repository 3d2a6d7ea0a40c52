/**
 * Which release a CI event starts: a map from repository (`owner/repo` on
 * GitHub, the project's `path_with_namespace` on GitLab) to a release plan,
 * i.e. a release request without its id (the id comes from the repository
 * and the tag, so a redelivered event names the same release).
 *
 * Given as JSON in configuration (`FLEETWAVE_GITHUB_RELEASE_MAP`,
 * `FLEETWAVE_GITLAB_RELEASE_MAP`), e.g.
 * `{"acme/firmware": {"jobTemplateId": "fw", "targets": {"thingGroups": ["fleet"]},
 *   "waves": [{"percentage": 10}, {"percentage": 100}], "tagPattern": "^v\\d+"}}`.
 */
import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import { jobSettingsSchemas } from '../domain/iot-job-settings.js';
import { regexSourceSchema } from '../domain/regex-source.js';
import { checkReleaseRules, releaseRequestFields } from '../domain/release-request.js';
import type { CreateReleaseInput } from '../releases/create-release.js';

const strictSettings = jobSettingsSchemas('strict');
const { releaseId: _id, ...planFields } = releaseRequestFields;

/**
 * A map's schedule: windows only. A map is configured once and serves every
 * tag after it, so an absolute `startTime` or `endTime` would go stale (and
 * soon be refused as past); recurring windows stay true.
 */
const planSchedulingSchema = z.strictObject({
  maintenanceWindows: strictSettings.maintenanceWindows.optional(),
});

/** A regular expression given as a string: refused at configuration time when it does not compile. */
const tagPatternSchema = regexSourceSchema(256);

/** What one repository's releases roll out; `tagPattern` (optional) picks which tags start one. */
const releasePlanSchema = z
  .strictObject({
    ...planFields,
    schedulingConfig: planSchedulingSchema.optional(),
    tagPattern: tagPatternSchema.optional(),
  })
  .superRefine(checkReleaseRules);
export type ReleasePlan = z.output<typeof releasePlanSchema>;

/** `owner/repo` (GitLab: `group/subgroup/project`) → plan. */
const releaseMapSchema = z.record(
  z.string().regex(/^[\w.-]+(\/[\w.-]+)+$/, 'must be a repository path such as owner/repo'),
  releasePlanSchema,
);
export type ReleaseMap = z.output<typeof releaseMapSchema>;

/**
 * Parses a release map from its JSON text.
 * @throws ValidationError naming each bad entry (`acme/firmware.waves.0.percentage`)
 */
export function parseReleaseMap(json: string): ReleaseMap {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ValidationError('The release map is not valid JSON.', [
      { path: '', message: 'must be valid JSON' },
    ]);
  }
  const parsed = releaseMapSchema.safeParse(value);
  if (!parsed.success) throw ValidationError.fromZod('The release map is invalid.', parsed.error);
  return parsed.data;
}

/** Where a CI release came from. */
export interface TagSource {
  provider: 'github' | 'gitlab';
  /** The map's key: `owner/repo`. */
  repository: string;
  tag: string;
}

/** The plan of a repository, or why there is none (for a 202 "ignored" answer). */
export function planFor(
  map: ReleaseMap | undefined,
  source: TagSource,
): { plan: ReleasePlan } | { ignored: string } {
  const plan = map?.[source.repository];
  if (!plan) return { ignored: `No release is configured for repository ${source.repository}.` };
  if (plan.tagPattern !== undefined && !new RegExp(plan.tagPattern).test(source.tag)) {
    return { ignored: `Tag ${source.tag} does not match the tagPattern of ${source.repository}.` };
  }
  return { plan };
}

/**
 * The release request a tag starts. The idempotency key is the provider,
 * repository and tag: a redelivered event, or the same tag announced by a
 * tag push and then by a release, names the same release.
 */
export function releaseForTag(plan: ReleasePlan, source: TagSource): CreateReleaseInput {
  const { tagPattern: _pattern, ...request } = plan;
  const where = `${source.repository}@${source.tag}`;
  return {
    body: { ...request, description: request.description ?? `${where} (${source.provider})`.slice(0, 2028) },
    idempotencyKey: `${source.provider}:${where}`,
  };
}

/**
 * The static thing groups a release may have created, so they can be
 * deleted once it has ended: AWS lets a thing belong to at most 10 thing
 * groups, so groups left behind would stop a fleet from taking new
 * percentage releases after about nine. Pure: the names follow from the
 * release and its waves alone.
 */
import { cohortThingGroupName } from './cohorts.js';
import type { ReleaseWithWaves } from './release.js';
import { followUpGroupName } from './wave-halt.js';

/**
 * Every group the release may have created, each once: the cohort group of
 * each percentage wave (`fleetwave-<releaseId>-w<nn>`), the group of each
 * follow-up job a halt gave a wave (`fleetwave-<releaseId>-w<nn>-r<k>`), and a
 * retry's or rollback's target group (`fleetwave-<releaseId>-targets`). A
 * name may belong to a group never created (a wave that never started):
 * deleting such a group is no error. The release's own `targets` are never
 * listed: those groups belong to whoever made them.
 */
export function releaseGroupNames({ release, waves }: ReleaseWithWaves): string[] {
  const names = new Set<string>();
  release.waves.forEach((wave, i) => {
    if (wave.percentage !== undefined) names.add(cohortThingGroupName(release.releaseId, i + 1));
  });
  for (const wave of waves) {
    for (const jobId of wave.followUpJobIds ?? []) names.add(followUpGroupName(jobId));
  }
  if (release.targetSet) names.add(release.targetSet.thingGroupName);
  return [...names];
}

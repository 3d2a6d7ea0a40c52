/**
 * Refuses a release that names a thing group or thing IoT does not have,
 * before anything is stored: such a release could only fail once started,
 * and it would have used up its release id.
 *
 * One DescribeThingGroup or DescribeThing per distinct name, a few at a time:
 * the calls are counted in the IoT call budget like every other call the API
 * makes (`lib/adapters/iot-call-budget.ts`), and the first error other than
 * "not found" (throttling: 429) stops the check without sending the rest.
 */
import { type FieldProblem, ValidationError } from '../domain/errors.js';
import type { ReleaseRequest } from '../domain/release-request.js';
import { type NamedTarget, namedTargets } from '../domain/release-targets.js';
import type { TargetRegistry } from './ports.js';

/**
 * Look-ups in flight at once. Far under AWS's rates for these registry APIs
 * (hundreds per second), so one request never crowds out other callers, and
 * enough that a release naming a thousand things is checked in seconds.
 */
const TARGET_LOOKUPS_IN_FLIGHT = 8;

const what = { thingGroup: 'thing group', thing: 'thing' } as const;

/** The names among `targets` that do not exist, asking `registry` at most `inFlight` at a time. */
async function missingTargets(
  registry: TargetRegistry,
  targets: NamedTarget[],
  inFlight: number,
): Promise<NamedTarget[]> {
  const missing = new Set<NamedTarget>();
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < targets.length) {
      const target = targets[next++] as NamedTarget;
      try {
        if (!(await registry.exists(target.kind, target.name))) missing.add(target);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, targets.length) }, worker));
  // Reported in request order, whatever order the answers came in.
  return targets.filter((t) => missing.has(t));
}

/**
 * Checks that every thing group and thing `request` names exists in IoT.
 * @throws ValidationError with one detail per field naming a missing one
 *   (`targets.thingGroups.0`, `waves.1.targets.things.2`); ThrottledError, UpstreamError
 */
export async function checkTargets(
  registry: TargetRegistry,
  request: Pick<ReleaseRequest, 'targets' | 'waves'>,
  inFlight = TARGET_LOOKUPS_IN_FLIGHT,
): Promise<void> {
  const missing = await missingTargets(registry, namedTargets(request), inFlight);
  if (missing.length === 0) return;
  const details: FieldProblem[] = missing.flatMap((t) =>
    t.paths.map((path) => ({ path, message: `names no ${what[t.kind]} (${t.name} does not exist)` })),
  );
  const fields = details.map((d) => d.path);
  throw new ValidationError(`Invalid request: ${fields.join(', ')}.`, details);
}

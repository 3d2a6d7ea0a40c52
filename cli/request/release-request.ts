/**
 * The POST /releases body from `releases create`: a file's body (JSON or
 * YAML) as the base, then the flags, which win. Flags for the common case
 * build percentage waves (`--waves 1,10,50,100`) and set the policy of every
 * wave; anything finer (per-wave targets, IoT overrides, tags) goes in the
 * file. Values are checked for form here; the API checks the rules and names
 * every bad field at once.
 */
import type { ParsedArgs } from '../args/parse.js';
import { integerValue, listValue, numberValue } from '../args/values.js';
import { UsageError } from '../errors.js';

type Body = Record<string, unknown>;

/** `10` or `10%`. */
function percentValue(option: string, raw: string, min: number): number {
  return numberValue(option, raw.trim().replace(/%$/, ''), min, 100);
}

/** `--waves 1,10,50,100`: one percentage wave per item, cumulative shares ending at 100. */
export function percentageWaves(raw: string): { percentage: number }[] {
  return listValue('waves', raw).map((item) => ({ percentage: percentValue('waves', item, 0.01) }));
}

/**
 * One value per wave: a single value applies to every wave; a list must
 * have exactly one item per wave.
 */
function perWave<T>(option: string, raw: string, waveCount: number, read: (item: string) => T): T[] {
  const items = listValue(option, raw).map(read);
  if (items.length === 1) return Array.from({ length: waveCount }, () => items[0] as T);
  if (items.length !== waveCount)
    throw new UsageError(
      `--${option} takes one value for every wave or one per wave; the release has ${waveCount} waves, --${option} gives ${items.length}`,
    );
  return items;
}

/** The waves `--approval` marks: `all`, `none`, or 1-based wave numbers (`2,4`). */
function approvalWaves(raw: string, waveCount: number): Set<number> {
  const value = raw.trim().toLowerCase();
  if (value === 'all') return new Set(Array.from({ length: waveCount }, (_, i) => i + 1));
  if (value === 'none') return new Set();
  if (value === 'last') return new Set([waveCount]);
  return new Set(listValue('approval', raw).map((item) => integerValue('approval', item, 1, waveCount)));
}

function asObject(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Body) } : {};
}

/** The options that set a policy on every wave, with the field each sets and how to read it. */
const policyFlags: readonly {
  option: string;
  field: string;
  read: (option: string, raw: string) => number;
}[] = [
  {
    option: 'success-threshold',
    field: 'successThresholdPercent',
    read: (o, raw) => percentValue(o, raw, 0),
  },
  {
    option: 'failure-threshold',
    field: 'failureThresholdPercent',
    read: (o, raw) => percentValue(o, raw, 0),
  },
  { option: 'bake-minutes', field: 'bakeTimeMinutes', read: (o, raw) => integerValue(o, raw, 0, 10_080) },
];

/**
 * Builds the release request from an optional file body and the flags.
 * @throws UsageError for a flag value of the wrong form, or when without a
 * file the flags do not name a template and waves.
 */
export function buildReleaseRequest(fileBody: Body | undefined, args: ParsedArgs): Body {
  const body: Body = { ...(fileBody ?? {}) };
  const releaseId = args.string('release-id');
  const template = args.string('template');
  const description = args.string('description');
  if (releaseId !== undefined) body.releaseId = releaseId;
  if (template !== undefined) body.jobTemplateId = template;
  if (description !== undefined) body.description = description;

  const groups = args.string('targets');
  const things = args.string('things');
  if (groups !== undefined || things !== undefined) {
    const targets = asObject(body.targets);
    if (groups !== undefined) targets.thingGroups = listValue('targets', groups);
    if (things !== undefined) targets.things = listValue('things', things);
    body.targets = targets;
  }

  const wavesFlag = args.string('waves');
  if (wavesFlag !== undefined) body.waves = percentageWaves(wavesFlag);

  const waves = Array.isArray(body.waves) ? body.waves.map(asObject) : undefined;
  const policyGiven = policyFlags.filter((p) => args.has(p.option)).map((p) => `--${p.option}`);
  if (args.has('approval')) policyGiven.push('--approval');
  if (policyGiven.length > 0 && !waves?.length)
    throw new UsageError(
      `${policyGiven.join(', ')} set the policy of waves: give --waves, or a file with waves`,
    );
  if (waves) {
    for (const policy of policyFlags) {
      const raw = args.string(policy.option);
      if (raw === undefined) continue;
      const values = perWave(policy.option, raw, waves.length, (item) => policy.read(policy.option, item));
      waves.forEach((wave, i) => {
        wave[policy.field] = values[i];
      });
    }
    const approval = args.string('approval');
    if (approval !== undefined) {
      const marked = approvalWaves(approval, waves.length);
      waves.forEach((wave, i) => {
        wave.requireApproval = marked.has(i + 1);
      });
    }
    body.waves = waves;
  }

  if (fileBody === undefined) {
    const missing = [
      template === undefined ? '--template' : undefined,
      wavesFlag === undefined ? '--waves' : undefined,
      groups === undefined && things === undefined ? '--targets or --things' : undefined,
    ].filter((m) => m !== undefined);
    if (missing.length > 0)
      throw new UsageError(`missing ${missing.join(', ')} (or give the whole release with -f FILE)`);
  }
  return body;
}

/** A release plan for people: its waves as a table, then the estimate and the warnings. */
import type { PlanAnswer } from '../api/plan-answers.js';
import { formatFields, formatTable } from './table.js';

type Range = { min: number; max: number };

/** `5` or `5–9`. */
function range({ min, max }: Range, unit = ''): string {
  return min === max ? `${min}${unit}` : `${min}–${max}${unit}`;
}

/** `1 h 5 min`-style minutes, for a range. */
function minutes({ min, max }: Range): string {
  const one = (m: number) => (m < 120 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`);
  return min === max ? one(min) : `${one(min)} – ${one(max)}`;
}

/** `2026-01-01 10:05` (UTC): what a table has room for. */
function shortTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** The lines `fleetwave releases plan` prints. */
export function planLines(plan: PlanAnswer): string[] {
  const waves = formatTable(
    ['WAVE', 'SHARE', 'THINGS', 'STARTS (UTC)', 'ENDS BY (UTC)', 'MINUTES', 'BAKE', 'GATE', 'JOB'],
    plan.waves.map((w) => [
      String(w.waveNumber),
      w.percentage === undefined ? 'named' : `${w.percentage}%`,
      String(w.thingCount),
      shortTime(w.startsAt),
      shortTime(w.endsAt),
      range(w.durationMinutes),
      w.bakeTimeMinutes > 0 ? `${w.bakeTimeMinutes} min` : '-',
      w.requireApproval ? 'yes' : '-',
      w.createJob.jobId,
    ]),
  );
  const { estimate } = plan;
  const calls = Object.entries(estimate.iotCalls)
    .map(([api, r]) => `${api} ${range(r)}`)
    .join(', ');
  const fields = formatFields([
    [
      'Release',
      `${plan.releaseId} (template ${plan.jobTemplateId}), planned at ${shortTime(plan.plannedAt)} UTC`,
    ],
    ['Duration', minutes(estimate.durationMinutes)],
    ['Gates', estimate.gates > 0 ? `${estimate.gates} approval(s), not counted in the duration` : undefined],
    ['IoT calls', calls],
    [
      'Step Functions',
      `${range(estimate.stepFunctions.transitions)} state transitions, USD ${range(estimate.stepFunctions.costUsd)}`,
    ],
  ]);
  const warnings =
    plan.warnings.length === 0
      ? ['No warnings.']
      : ['Warnings:', ...plan.warnings.map((w) => `  ${w.code}: ${w.message}`)];
  return [...waves, '', ...fields, '', ...warnings];
}

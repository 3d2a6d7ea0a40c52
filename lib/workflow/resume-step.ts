/**
 * Where the machine goes for a release picked up where it stood
 * (`resumePoint`): by StartRelease for a new execution of a release under
 * way (the local stack after a restart), and by ContinueRelease after a
 * hold. The same rule, so a restart and a resume cannot disagree.
 */
import type { ReleaseWithWaves } from '../domain/release.js';
import { resumePoint } from '../domain/resume-point.js';
import { bakeStep } from './check-bake.js';
import { approvalStep } from './complete-wave.js';
import { waveAt } from './release-context.js';
import type { WorkflowState } from './workflow-state.js';

/**
 * The step (and the wave it is about) for the loaded release at `now`.
 * `afterRestart`: a new execution, which may have been started between a
 * wave's success and its approval gate opening, so such a gate with no
 * approval recorded opens now. An execution that continues after a hold has
 * passed its gates itself.
 */
export function resumeStep(
  loaded: ReleaseWithWaves,
  now: string,
  { afterRestart }: { afterRestart: boolean },
): Pick<WorkflowState, 'next' | 'waveNumber' | 'nextWaveNumber' | 'afterApproval' | 'bake'> {
  const { release } = loaded;
  const { status, currentWave, targetSet } = release;
  const point = resumePoint(afterRestart ? release : { status, currentWave, targetSet }, loaded.waves);
  switch (point.step) {
    case 'gather':
      return { next: 'gather' };
    case 'hold':
      return { next: 'hold' };
    case 'approval':
      return { waveNumber: point.waveNumber, ...approvalStep(release, point.waveNumber) };
    case 'bake': {
      const { state } = waveAt(loaded, point.waveNumber);
      return { waveNumber: point.waveNumber, ...bakeStep(release, state, now) };
    }
    case 'wave':
      return { nextWaveNumber: point.waveNumber, next: 'wave' };
    case 'finish':
      return { next: 'finish' };
  }
}

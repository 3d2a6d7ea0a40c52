/**
 * Every thing group and thing a release request names, with the field that
 * names it: the release fleet (`targets`) and each wave's own `targets`. The
 * API checks each name exists before it stores the release, and reports a
 * missing one at the field the caller wrote it in.
 */
import type { ReleaseRequest } from './release-request.js';

/** What kind of IoT registry entry a name stands for. */
export type TargetKind = 'thingGroup' | 'thing';

/** One named target of a release: a distinct group or thing, and every field that names it. */
export interface NamedTarget {
  kind: TargetKind;
  name: string;
  /** Dotted paths, e.g. `targets.thingGroups.0`, `waves.1.targets.things.2`, in request order. */
  paths: string[];
}

type Targets = ReleaseRequest['targets'];

/**
 * The distinct targets of `request`, each once (a name in the fleet and in a
 * wave costs one look-up), in the order they first appear.
 */
export function namedTargets(request: Pick<ReleaseRequest, 'targets' | 'waves'>): NamedTarget[] {
  const byKey = new Map<string, NamedTarget>();
  const add = (targets: Targets, prefix: string) => {
    const lists: [TargetKind, string[] | undefined][] = [
      ['thingGroup', targets?.thingGroups],
      ['thing', targets?.things],
    ];
    for (const [kind, names] of lists) {
      const field = kind === 'thingGroup' ? 'thingGroups' : 'things';
      names?.forEach((name, i) => {
        const key = `${kind}:${name}`;
        const path = `${prefix}targets.${field}.${i}`;
        const known = byKey.get(key);
        if (known) known.paths.push(path);
        else byKey.set(key, { kind, name, paths: [path] });
      });
    }
  };
  add(request.targets, '');
  request.waves.forEach((wave, i) => {
    add(wave.targets, `waves.${i}.`);
  });
  return [...byKey.values()];
}

/**
 * What an incoming CI webhook asks fleetwave to do, once its signature has
 * been verified: answer a ping, start a release, or ignore the event (with
 * the reason, so whoever configured the hook can see why nothing happened).
 */
import type { CreateReleaseInput } from '../releases/create-release.js';
import { planFor, type ReleaseMap, releaseForTag, type TagSource } from './release-map.js';

export type CiAction =
  | { kind: 'ping' }
  | { kind: 'start'; input: CreateReleaseInput }
  | { kind: 'ignore'; reason: string };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string member of `value`, following `path`. */
export function stringAt(value: unknown, ...path: string[]): string | undefined {
  let at: unknown = value;
  for (const key of path) at = isObject(at) ? at[key] : undefined;
  return typeof at === 'string' && at.length > 0 ? at : undefined;
}

/** Starts the release of `source`'s tag when the map has a plan for it, else ignores it. */
export function startForTag(map: ReleaseMap | undefined, source: TagSource): CiAction {
  const found = planFor(map, source);
  return 'ignored' in found
    ? { kind: 'ignore', reason: found.ignored }
    : { kind: 'start', input: releaseForTag(found.plan, source) };
}

/** The action with `actor` (the webhook's sender) as the creator of the release it starts. */
export function sentBy(action: CiAction, actor: string): CiAction {
  return action.kind === 'start' ? { kind: 'start', input: { ...action.input, actor } } : action;
}

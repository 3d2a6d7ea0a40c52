/**
 * The shapes the thing registry hands out and takes in, and what the group
 * walk reads of it: a leaf of types, so the registry and the walk both
 * depend on it instead of on each other.
 */
import type { IndexList } from '../index-list.js';

/** A thing as the registry shows it (built on demand: the registry keeps its things in columns). */
export interface ThingRecord {
  readonly thingName: string;
  readonly thingArn: string;
  readonly thingId: string;
  readonly thingTypeName?: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly version: number;
  readonly billingGroupName?: string;
  /** Direct groups, in the order the thing joined them (a list shared by the things with the same groups). */
  readonly groups: readonly string[];
}

export interface ThingGroupRecord {
  readonly thingGroupName: string;
  readonly thingGroupArn: string;
  readonly thingGroupId: string;
  readonly parentGroupName?: string;
  /** Its position among its parent's children (0 for a root): fixed, since groups never move. */
  readonly childIndex: number;
  readonly description?: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly version: number;
  /** Virtual epoch ms. */
  readonly creationDate: number;
  readonly children: readonly string[];
  /** Direct members (thing names) in the order they joined; keyed by the things' registry indexes. */
  readonly members: IndexList<string>;
}

export interface CreateThingInput {
  thingName: string;
  thingTypeName?: string;
  attributes?: Record<string, string>;
  billingGroupName?: string;
}

export interface UpdateThingInput {
  thingName: string;
  thingTypeName?: string;
  removeThingType?: boolean;
  attributes?: Record<string, string>;
  merge?: boolean;
  expectedVersion?: number;
}

export interface CreateThingGroupInput {
  thingGroupName: string;
  parentGroupName?: string;
  description?: string;
  attributes?: Record<string, string>;
}

/** Who a thing or group was when it was first created: kept when a snapshot puts it back. */
export interface RestoredIdentity {
  readonly id: string;
  /** Virtual epoch ms; groups only. */
  readonly creationDate?: number;
}

/**
 * Called after a thing joins a group (the registry's `ancestors` gives the
 * groups above it): only names, so a listener with nothing to do (no
 * CONTINUOUS job) costs nothing per membership.
 */
export type MembershipListener = (thingName: string, thingGroupName: string) => void;

/** What the group walk reads of the registry; things are named by their registry index. */
export interface GroupTree {
  getThingGroup(thingGroupName: string): ThingGroupRecord | undefined;
  /** The latest membership's sequence number. */
  readonly membershipMark: number;
  /** The thing's direct groups in the order it joined them (shared: never change it). */
  directGroupsAt(thing: number): readonly string[];
  /** The membership sequence number of the thing's `k`-th direct group. */
  joinedAt(thing: number, k: number): number;
  thingAt(thing: number): ThingRecord;
}

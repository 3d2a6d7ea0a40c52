/**
 * Things, static thing groups and group membership: the part of the IoT
 * registry that job targeting needs. Groups form a tree (`parentGroupName`);
 * a thing in a group is also in every ancestor group for job targeting and
 * for `ListThingsInThingGroup` with `recursive` (see group-walk.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock/clock.js';
import type { ArnFactory } from '../arn.js';
import { IotError, notFound } from '../errors.js';
import { SeqList } from '../pagination.js';
import { walkThingsIn } from './group-walk.js';

export interface ThingRecord {
  readonly thingName: string;
  readonly thingArn: string;
  readonly thingId: string;
  readonly thingTypeName?: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly version: number;
  readonly billingGroupName?: string;
  /** Direct groups, in the order the thing joined them. */
  readonly groups: ReadonlySet<string>;
  /** When it joined each direct group: the registry's membership sequence number then. */
  readonly joined: ReadonlyMap<string, number>;
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
  /** Direct members in the order they joined. */
  readonly members: SeqList<string>;
  readonly memberCount: number;
}

export interface CreateThingInput {
  thingName: string;
  thingTypeName?: string;
  attributes?: Record<string, string>;
  billingGroupName?: string;
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

/** Called after a thing joins a group; `groups` is the group and its ancestors, nearest first. */
export type MembershipListener = (thing: ThingRecord, groups: readonly string[]) => void;

interface MutableThing extends ThingRecord {
  readonly groups: Set<string>;
  readonly joined: Map<string, number>;
  readonly seq: number;
}

interface MutableGroup extends ThingGroupRecord {
  readonly children: string[];
  readonly memberSet: Set<string>;
  readonly seq: number;
  memberCount: number;
  nextMemberSeq: number;
}

const sameAttributes = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export class ThingRegistry {
  private readonly things = new Map<string, MutableThing>();
  private readonly groups = new Map<string, MutableGroup>();
  readonly thingList = new SeqList<ThingRecord>((t, seq) => this.things.get(t.thingName)?.seq === seq);
  readonly groupList = new SeqList<ThingGroupRecord>(
    (g, seq) => this.groups.get(g.thingGroupName)?.seq === seq,
  );
  private readonly membershipListeners = new Set<MembershipListener>();
  private seq = 0;
  private memberships = 0;

  constructor(
    private readonly arns: ArnFactory,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates a thing. Like AWS, creating a thing that exists with the same
   * settings returns it again; with other settings it is a conflict.
   * `restored` gives a new thing the id it had before a restart.
   */
  createThing(input: CreateThingInput, restored?: RestoredIdentity): ThingRecord {
    const attributes = input.attributes ?? {};
    const existing = this.things.get(input.thingName);
    if (existing) {
      if (existing.thingTypeName === input.thingTypeName && sameAttributes(existing.attributes, attributes)) {
        return existing;
      }
      throw new IotError(
        'ResourceAlreadyExistsException',
        `Thing ${input.thingName} already exists in account with different attributes`,
        {
          resourceId: existing.thingId,
          resourceArn: existing.thingArn,
        },
      );
    }
    const thing: MutableThing = {
      thingName: input.thingName,
      thingArn: this.arns.thing(input.thingName),
      thingId: restored?.id ?? randomUUID(),
      thingTypeName: input.thingTypeName,
      attributes: { ...attributes },
      version: 1,
      billingGroupName: input.billingGroupName,
      groups: new Set(),
      joined: new Map(),
      seq: ++this.seq,
    };
    this.things.set(thing.thingName, thing);
    this.thingList.push(thing.seq, thing);
    return thing;
  }

  getThing(thingName: string): ThingRecord | undefined {
    return this.things.get(thingName);
  }

  get thingCount(): number {
    return this.things.size;
  }

  /** Creates a static thing group; same idempotency and `restored` rules as {@link createThing}. */
  createThingGroup(input: CreateThingGroupInput, restored?: RestoredIdentity): ThingGroupRecord {
    const attributes = input.attributes ?? {};
    const existing = this.groups.get(input.thingGroupName);
    if (existing) {
      if (
        existing.parentGroupName === input.parentGroupName &&
        existing.description === input.description &&
        sameAttributes(existing.attributes, attributes)
      ) {
        return existing;
      }
      throw new IotError(
        'ResourceAlreadyExistsException',
        `Thing Group ${input.thingGroupName} already exists`,
        {
          resourceId: existing.thingGroupId,
          resourceArn: existing.thingGroupArn,
        },
      );
    }
    const parent = input.parentGroupName === undefined ? undefined : this.groups.get(input.parentGroupName);
    if (input.parentGroupName !== undefined && !parent) {
      throw notFound(`Parent Thing Group ${input.parentGroupName} does not exist`);
    }
    const name = input.thingGroupName;
    const group: MutableGroup = {
      thingGroupName: name,
      thingGroupArn: this.arns.thingGroup(name),
      thingGroupId: restored?.id ?? randomUUID(),
      parentGroupName: input.parentGroupName,
      childIndex: parent?.children.length ?? 0,
      description: input.description,
      attributes: { ...attributes },
      version: 1,
      creationDate: restored?.creationDate ?? this.clock.now(),
      children: [],
      memberSet: new Set(),
      members: new SeqList<string>(() => true),
      memberCount: 0,
      nextMemberSeq: 0,
      seq: ++this.seq,
    };
    this.groups.set(name, group);
    this.groupList.push(group.seq, group);
    parent?.children.push(name);
    return group;
  }

  getThingGroup(thingGroupName: string): ThingGroupRecord | undefined {
    return this.groups.get(thingGroupName);
  }

  /** Adds a thing to a group (no-op when it is already a member) and tells the membership listeners. */
  addThingToThingGroup(thingName: string, thingGroupName: string): void {
    const thing = this.things.get(thingName);
    if (!thing) throw notFound(`Thing ${thingName} cannot be found.`);
    const group = this.groups.get(thingGroupName);
    if (!group) throw notFound(`Thing Group ${thingGroupName} cannot be found.`);
    if (group.memberSet.has(thingName)) return;
    group.memberSet.add(thingName);
    group.members.push(++group.nextMemberSeq, thingName);
    group.memberCount++;
    thing.groups.add(thingGroupName);
    thing.joined.set(thingGroupName, ++this.memberships);
    const reached = [thingGroupName, ...this.ancestors(thingGroupName)];
    for (const listener of [...this.membershipListeners]) listener(thing, reached);
  }

  /** The sequence number of the latest membership: a recursive listing pages against the memberships up to it. */
  get membershipMark(): number {
    return this.memberships;
  }

  /** Listens to things joining groups; returns the unsubscribe function. */
  onMembership(listener: MembershipListener): () => void {
    this.membershipListeners.add(listener);
    return () => {
      this.membershipListeners.delete(listener);
    };
  }

  /**
   * Every group a thing belongs to, directly or through a parent group, each
   * once (direct groups first); empty for an unknown thing. This makes the
   * registry a fleet-simulator `ThingDirectory`.
   */
  groupsOf(thingName: string): readonly string[] {
    const thing = this.things.get(thingName);
    if (!thing) return [];
    const out = new Set(thing.groups);
    for (const group of thing.groups) for (const ancestor of this.ancestors(group)) out.add(ancestor);
    return [...out];
  }

  /** The group's ancestors, nearest first. */
  ancestors(thingGroupName: string): string[] {
    const out: string[] = [];
    let parent = this.groups.get(thingGroupName)?.parentGroupName;
    while (parent !== undefined) {
      out.push(parent);
      parent = this.groups.get(parent)?.parentGroupName;
    }
    return out;
  }

  /** The group and all its descendants, parents before children. */
  subtree(thingGroupName: string): string[] {
    const out: string[] = [];
    const queue = [thingGroupName];
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const group = this.groups.get(name);
      if (!group) continue;
      out.push(name);
      queue.push(...group.children);
    }
    return out;
  }

  /**
   * Things in a group (and, with `recursive`, in its descendants), each once:
   * in membership order, group by group in the order of {@link walkThingsIn}.
   */
  *thingsIn(thingGroupName: string, recursive: boolean): IterableIterator<ThingRecord> {
    if (recursive) {
      yield* walkThingsIn(this, thingGroupName);
      return;
    }
    const group = this.groups.get(thingGroupName);
    if (group) for (const member of group.members.values()) yield this.things.get(member)!;
  }
}

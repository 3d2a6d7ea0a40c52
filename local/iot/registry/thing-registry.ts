/**
 * Things, static thing groups and group membership: the part of the IoT
 * registry that job targeting needs. Groups form a tree (`parentGroupName`);
 * a thing in a group is also in every ancestor group for job targeting and
 * for `ListThingsInThingGroup` with `recursive` (see group-walk.ts).
 *
 * Things are kept in columns, by index (the order they were created), not as
 * one object each: a name, a 16-byte id, the number of their list of direct
 * groups (shared, see group-shapes.ts) and when they joined them. A
 * `ThingRecord` is built when someone asks for one. Things are never
 * deleted, so an index never changes; a group's memberships go with the
 * group (DeleteThingGroup), its things stay.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock/clock.js';
import type { ArnFactory } from '../arn.js';
import { u32Column } from '../columns.js';
import { IotError, invalidRequest, notFound } from '../errors.js';
import { IndexList } from '../index-list.js';
import { SeqList } from '../pagination.js';
import { ExternalThings } from './external-things.js';
import { GroupShapes, noGroups } from './group-shapes.js';
import { walkThingKeys } from './group-walk.js';
import type {
  CreateThingGroupInput,
  CreateThingInput,
  GroupTree,
  MembershipListener,
  RestoredIdentity,
  ThingGroupRecord,
  ThingRecord,
  UpdateThingInput,
} from './registry-records.js';
import { ThingIds } from './thing-ids.js';

/** What few things have: a type, attributes, a billing group. */
interface ThingExtras {
  readonly thingTypeName?: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly billingGroupName?: string;
  /** 1 at creation; each UpdateThing counts it up. */
  readonly version?: number;
}

interface MutableGroup extends ThingGroupRecord {
  /** Changes only when an earlier sibling is deleted. */
  childIndex: number;
  readonly children: string[];
  readonly seq: number;
}

const noAttributes: Readonly<Record<string, string>> = Object.freeze({});
const noExtras: ThingExtras = { attributes: noAttributes };

const sameAttributes = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export class ThingRegistry implements GroupTree {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly ids = new ThingIds();
  /** Per thing: its list of direct groups. */
  private readonly shapeOf = u32Column(1024);
  /** Per thing: the membership sequence number of its first group. */
  private readonly firstJoined = u32Column(1024);
  /** Things whose memberships were not made one after the other: every membership's sequence number. */
  private readonly scatteredJoins = new Map<number, number[]>();
  private readonly extras = new Map<number, ThingExtras>();
  /** Things a real device plays (attribute `fleetwave:simulated` = `"false"`). */
  readonly external = new ExternalThings();
  /** Things UpdateThing changed, in the order of their first update (a snapshot keeps them). */
  private readonly updated = new Set<number>();
  private readonly shapes = new GroupShapes();
  private readonly groups = new Map<string, MutableGroup>();
  /** Things in creation order; the sequence numbers are shared with the groups'. */
  readonly thingList = new IndexList<ThingRecord>((thing) => this.thingAt(thing));
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
    this.ensureThing(input, restored);
    return this.thingAt(this.index.get(input.thingName)!);
  }

  /** {@link createThing} without building the record: true when the thing is new. */
  ensureThing(input: CreateThingInput, restored?: RestoredIdentity): boolean {
    const attributes = input.attributes ?? noAttributes;
    const existing = this.index.get(input.thingName);
    if (existing !== undefined) {
      const extras = this.extras.get(existing) ?? noExtras;
      if (extras.thingTypeName === input.thingTypeName && sameAttributes(extras.attributes, attributes)) {
        return false;
      }
      throw new IotError(
        'ResourceAlreadyExistsException',
        `Thing ${input.thingName} already exists in account with different attributes`,
        { resourceId: this.ids.get(existing), resourceArn: this.arns.thing(input.thingName) },
      );
    }
    const thing = this.names.length;
    this.names.push(input.thingName);
    this.index.set(input.thingName, thing);
    this.ids.push(restored?.id);
    this.shapeOf.push(noGroups);
    this.firstJoined.push(0);
    if (
      input.thingTypeName !== undefined ||
      input.billingGroupName !== undefined ||
      (attributes !== noAttributes && Object.keys(attributes).length > 0)
    ) {
      this.extras.set(thing, {
        thingTypeName: input.thingTypeName,
        attributes: { ...attributes },
        billingGroupName: input.billingGroupName,
      });
      this.external.set(thing, attributes);
    }
    this.thingList.push(++this.seq, thing);
    return true;
  }

  /**
   * UpdateThing: replaces the thing's attributes, or with `merge` adds them
   * to the existing ones (an empty value removes an attribute, as in AWS),
   * and counts its version up. `expectedVersion` that is not the current
   * version is a VersionConflictException.
   */
  updateThing(input: UpdateThingInput): ThingRecord {
    const thing = this.index.get(input.thingName);
    if (thing === undefined) throw notFound(`Thing ${input.thingName} cannot be found.`);
    const extras = this.extras.get(thing) ?? noExtras;
    const version = extras.version ?? 1;
    if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
      throw new IotError(
        'VersionConflictException',
        `The version for thing ${input.thingName} does not match the expected version.`,
      );
    }
    let attributes: Record<string, string> = { ...extras.attributes };
    if (input.attributes !== undefined) {
      attributes = input.merge ? { ...attributes, ...input.attributes } : { ...input.attributes };
      for (const [name, value] of Object.entries(attributes)) if (value === '') delete attributes[name];
    }
    this.setExtras(thing, {
      thingTypeName: input.removeThingType ? undefined : (input.thingTypeName ?? extras.thingTypeName),
      attributes,
      billingGroupName: extras.billingGroupName,
      version: version + 1,
    });
    return this.thingAt(thing);
  }

  /** The things UpdateThing changed, as they are now. */
  updatedThings(): ThingRecord[] {
    return [...this.updated].map((thing) => this.thingAt(thing));
  }

  /** Puts back what UpdateThing made of a thing, as a snapshot kept it; an unknown thing is skipped. */
  restoreUpdate(update: Pick<ThingRecord, 'thingName' | 'thingTypeName' | 'attributes' | 'version'>): void {
    const thing = this.index.get(update.thingName);
    if (thing === undefined) return;
    const extras = this.extras.get(thing) ?? noExtras;
    // The saved thing type wins even when absent: UpdateThing may have removed it.
    this.setExtras(thing, {
      ...extras,
      thingTypeName: update.thingTypeName,
      attributes: { ...update.attributes },
      version: update.version,
    });
  }

  private setExtras(thing: number, extras: ThingExtras): void {
    this.extras.set(thing, extras);
    this.updated.add(thing);
    this.external.set(thing, extras.attributes);
  }

  /** Whether a real device plays the thing (see external-things.ts). */
  isExternal(thingName: string): boolean {
    const thing = this.index.get(thingName);
    return thing !== undefined && this.external.has(thing);
  }

  getThing(thingName: string): ThingRecord | undefined {
    const thing = this.index.get(thingName);
    return thing === undefined ? undefined : this.thingAt(thing);
  }

  /** The thing's key (its index, stable for good: things are never deleted), undefined for an unknown thing. */
  keyOf(thingName: string): number | undefined {
    return this.index.get(thingName);
  }

  /** The name of the thing with key `thing`. */
  nameAt(thing: number): string {
    return this.names[thing]!;
  }

  get thingCount(): number {
    return this.names.length;
  }

  /** The record of the thing at `thing` (its index), built now. */
  thingAt(thing: number): ThingRecord {
    const thingName = this.names[thing]!;
    const extras = this.extras.get(thing) ?? noExtras;
    return {
      thingName,
      thingArn: this.arns.thing(thingName),
      thingId: this.ids.get(thing),
      thingTypeName: extras.thingTypeName,
      attributes: extras.attributes,
      version: extras.version ?? 1,
      billingGroupName: extras.billingGroupName,
      groups: this.directGroupsAt(thing),
    };
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
      members: new IndexList<string>((thing) => this.names[thing]!),
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

  /**
   * Deletes a static thing group, as DeleteThingGroup does: its things leave
   * it (and stay in the registry), and a group that does not exist is no
   * error. A group with child groups is refused (InvalidRequestException),
   * and so is an `expectedVersion` other than the group's
   * (VersionConflictException). Membership listeners are not told: leaving a
   * group starts no job.
   */
  deleteThingGroup(thingGroupName: string, expectedVersion?: number): void {
    const group = this.groups.get(thingGroupName);
    if (!group) return;
    if (expectedVersion !== undefined && expectedVersion !== group.version) {
      throw new IotError(
        'VersionConflictException',
        `The version for thing group ${thingGroupName} does not match the expected version.`,
      );
    }
    if (group.children.length > 0) {
      throw invalidRequest(
        `Cannot delete thing group : ${thingGroupName} when there are still child groups attached to it`,
      );
    }
    for (const thing of group.members.keys()) this.leave(thing, thingGroupName);
    const siblings = group.parentGroupName === undefined ? undefined : this.groups.get(group.parentGroupName);
    if (siblings) {
      siblings.children.splice(group.childIndex, 1);
      for (let i = group.childIndex; i < siblings.children.length; i++) {
        this.groups.get(siblings.children[i]!)!.childIndex = i;
      }
    }
    this.groups.delete(thingGroupName);
    this.groupList.markStale();
    this.shapes.forgetClosures();
  }

  /** Adds a thing to a group (no-op when it is already a member) and tells the membership listeners. */
  addThingToThingGroup(thingName: string, thingGroupName: string): void {
    const thing = this.index.get(thingName);
    if (thing === undefined) throw notFound(`Thing ${thingName} cannot be found.`);
    const group = this.groups.get(thingGroupName);
    if (!group) throw notFound(`Thing Group ${thingGroupName} cannot be found.`);
    const shape = this.shapeOf.get(thing);
    const direct = this.shapes.groups(shape);
    if (direct.includes(thingGroupName)) return;
    // Members are never removed: a member's sequence number within the group is its place in the list.
    group.members.push(group.members.length + 1, thing);
    this.joined(thing, direct.length, ++this.memberships);
    this.shapeOf.set(thing, this.shapes.with(shape, thingGroupName));
    for (const listener of [...this.membershipListeners]) listener(thingName, thingGroupName);
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
   * registry a fleet-simulator `ThingDirectory`. The list is shared by every
   * thing with the same direct groups: never change it.
   */
  groupsOf(thingName: string): readonly string[] {
    const thing = this.index.get(thingName);
    return thing === undefined ? this.shapes.groups(noGroups) : this.groupsAt(thing);
  }

  /** {@link groupsOf} the thing with key `thing`, with no name to look up. */
  groupsAt(thing: number): readonly string[] {
    return this.shapes.closure(this.shapeOf.get(thing), this.ancestorsOf);
  }

  private readonly ancestorsOf = (group: string): readonly string[] => this.ancestors(group);

  directGroupsAt(thing: number): readonly string[] {
    return this.shapes.groups(this.shapeOf.get(thing));
  }

  joinedAt(thing: number, k: number): number {
    return this.scatteredJoins.get(thing)?.[k] ?? this.firstJoined.get(thing) + k;
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
   * The keys of the things in a group (and, with `recursive`, in its descendants), each once, in
   * one array: in membership order, group by group in the order of the group walk.
   */
  thingKeysIn(thingGroupName: string, recursive: boolean): number[] {
    if (recursive) return walkThingKeys(this, thingGroupName);
    const members = this.groups.get(thingGroupName)?.members;
    return members ? Array.from({ length: members.length }, (_, i) => members.keyAt(i)) : [];
  }

  /** Takes `group` out of the thing's direct groups, with its membership sequence number. */
  private leave(thing: number, group: string): void {
    const shape = this.shapeOf.get(thing);
    const direct = this.shapes.groups(shape);
    const k = direct.indexOf(group);
    if (k < 0) return;
    const joins = direct.map((_, j) => this.joinedAt(thing, j));
    joins.splice(k, 1);
    this.shapeOf.set(thing, this.shapes.without(shape, group));
    this.scatteredJoins.delete(thing);
    const first = joins[0] ?? 0;
    this.firstJoined.set(thing, first);
    if (joins.some((seq, j) => seq !== first + j)) this.scatteredJoins.set(thing, joins);
  }

  /** Records that `thing` joined its `k`-th direct group as membership `seq`. */
  private joined(thing: number, k: number, seq: number): void {
    if (k === 0) {
      this.firstJoined.set(thing, seq);
      return;
    }
    const scattered = this.scatteredJoins.get(thing);
    if (scattered) {
      scattered.push(seq);
      return;
    }
    // Seeding joins a thing's groups one after the other: only the first number is kept then.
    const first = this.firstJoined.get(thing);
    if (seq === first + k) return;
    this.scatteredJoins.set(thing, [...Array.from({ length: k }, (_, j) => first + j), seq]);
  }
}

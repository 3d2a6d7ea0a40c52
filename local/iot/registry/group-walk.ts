/**
 * The things of a thing-group tree in one fixed order, for job targeting and
 * for `ListThingsInThingGroup` with `recursive`, paged by a cursor that names
 * a group and a member sequence number. A page resumes where the last one
 * stopped and costs what it returns (plus the groups and duplicate members it
 * passes over), instead of walking the tree again from the start.
 *
 * The order: groups depth first, a parent before its children and children in
 * creation order; within a group, members in the order they joined. A thing
 * in several groups of the tree is listed in the first of them only. That is
 * decided from the thing's own direct groups (a handful: AWS allows a thing
 * ten), so no page has to remember what earlier pages returned; memberships
 * made after the first page (newer than the cursor's mark) do not count, so a
 * thing that joins a group the listing has passed is still listed where it was.
 */
import type { ThingGroupRecord, ThingRecord } from './thing-registry.js';

/** What the walk reads of the registry. */
export interface GroupTree {
  getThing(thingName: string): ThingRecord | undefined;
  getThingGroup(thingGroupName: string): ThingGroupRecord | undefined;
  /** The latest membership's sequence number (see `ThingRecord.joined`). */
  readonly membershipMark: number;
}

/** Where a walk stopped: the group it had reached and the sequence number of the last member read there. */
export interface WalkCursor {
  readonly group: string;
  /** 0 before the group's first member (member sequence numbers start at 1). */
  readonly after: number;
  /** The tree's membership mark at the first page: later memberships do not move a thing to an earlier group. */
  readonly mark: number;
}

/** One page of a walk; `next` only when a thing really follows, as AWS hands out a token. */
export interface WalkPage {
  things: ThingRecord[];
  next?: WalkCursor;
}

/**
 * Up to `limit` things of the tree under `root` (root included), from the
 * cursor on (from the start when undefined). The cursor must come from an
 * earlier page of the same root: check it with {@link isInTree} first.
 */
export function pageThingsIn(
  tree: GroupTree,
  root: string,
  cursor: WalkCursor | undefined,
  limit: number,
): WalkPage {
  const things: ThingRecord[] = [];
  let after = cursor?.after;
  const mark = cursor?.mark ?? tree.membershipMark;
  for (
    let group = tree.getThingGroup(cursor?.group ?? root);
    group !== undefined;
    group = nextGroup(tree, root, group), after = undefined
  ) {
    const listedHere = listedIn(tree, root, group, mark);
    if (things.length === limit) {
      // The page is full: look for one more thing only to decide whether to hand out a cursor.
      if (group.members.page(undefined, 1, listedHere).items.length === 0) continue;
      return { things, next: { group: group.thingGroupName, after: 0, mark } };
    }
    const page = group.members.page(after, limit - things.length, listedHere);
    for (const name of page.items) things.push(tree.getThing(name)!);
    if (page.nextAfter !== undefined) {
      return { things, next: { group: group.thingGroupName, after: page.nextAfter, mark } };
    }
  }
  return { things };
}

/** Every thing of the tree under `root`, each once, in the walk's order, lazily. */
export function* walkThingsIn(tree: GroupTree, root: string): IterableIterator<ThingRecord> {
  for (let group = tree.getThingGroup(root); group !== undefined; group = nextGroup(tree, root, group)) {
    const listedHere = listedIn(tree, root, group, Number.POSITIVE_INFINITY);
    for (const name of group.members.values()) if (listedHere(name)) yield tree.getThing(name)!;
  }
}

/** Whether `group` is `root` or one of its descendants. */
export function isInTree(tree: GroupTree, root: string, group: string): boolean {
  return pathFrom(tree, root, group) !== undefined;
}

/** The group after `group` in the walk of root's tree: its first child, else the next sibling of it or of its nearest ancestor below root. */
function nextGroup(tree: GroupTree, root: string, group: ThingGroupRecord): ThingGroupRecord | undefined {
  const firstChild = group.children[0];
  if (firstChild !== undefined) return tree.getThingGroup(firstChild);
  for (let at = group; at.thingGroupName !== root && at.parentGroupName !== undefined; ) {
    const parent = tree.getThingGroup(at.parentGroupName)!;
    const sibling = parent.children[at.childIndex + 1];
    if (sibling !== undefined) return tree.getThingGroup(sibling);
    at = parent;
  }
  return undefined;
}

/**
 * A member filter for `group`: true for the things whose first group in root's
 * walk is `group`, counting only the memberships up to `mark`.
 */
function listedIn(
  tree: GroupTree,
  root: string,
  group: ThingGroupRecord,
  mark: number,
): (thingName: string) => boolean {
  let here: readonly number[] | undefined;
  return (thingName) => {
    const { groups, joined } = tree.getThing(thingName)!;
    if (groups.size === 1) return true;
    here ??= pathFrom(tree, root, group.thingGroupName)!;
    for (const other of groups) {
      if (other === group.thingGroupName || (joined.get(other) ?? 0) > mark) continue;
      const there = pathFrom(tree, root, other);
      if (there !== undefined && walksBefore(there, here)) return false;
    }
    return true;
  };
}

/**
 * The child positions leading from `root` down to `group` (empty for root
 * itself), or undefined when `group` is not in root's tree. Comparing two
 * such paths orders groups as the walk visits them.
 */
function pathFrom(tree: GroupTree, root: string, group: string): number[] | undefined {
  const path: number[] = [];
  for (let at = tree.getThingGroup(group); at !== undefined; ) {
    if (at.thingGroupName === root) return path.reverse();
    path.push(at.childIndex);
    at = at.parentGroupName === undefined ? undefined : tree.getThingGroup(at.parentGroupName);
  }
  return undefined;
}

/** Whether the walk reaches path `a` before path `b`: an ancestor comes before its descendants. */
function walksBefore(a: readonly number[], b: readonly number[]): boolean {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return a.length < b.length;
}

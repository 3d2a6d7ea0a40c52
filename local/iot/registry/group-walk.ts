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
import type { GroupTree, ThingGroupRecord, ThingRecord } from './registry-records.js';

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
  const keys: number[] = [];
  let after = cursor?.after;
  const mark = cursor?.mark ?? tree.membershipMark;
  const order = walkOrder(tree, root);
  const done = (next?: WalkCursor): WalkPage => ({
    things: keys.map((key) => tree.thingAt(key)),
    ...(next && { next }),
  });
  for (
    let group = tree.getThingGroup(cursor?.group ?? root);
    group !== undefined;
    group = nextGroup(tree, root, group), after = undefined
  ) {
    const listedHere = listedIn(tree, order, group, mark);
    if (keys.length === limit) {
      // The page is full: look for one more thing only to decide whether to hand out a cursor.
      if (group.members.pageKeys(undefined, 1, listedHere).items.length === 0) continue;
      return done({ group: group.thingGroupName, after: 0, mark });
    }
    const page = group.members.pageKeys(after, limit - keys.length, listedHere);
    for (const key of page.items) keys.push(key);
    if (page.nextAfter !== undefined) {
      return done({ group: group.thingGroupName, after: page.nextAfter, mark });
    }
  }
  return done();
}

/** Every thing of the tree under `root`, each once, in the walk's order, by registry index: one batch, for CreateJob. */
export function walkThingKeys(tree: GroupTree, root: string): number[] {
  const order = walkOrder(tree, root);
  const keys: number[] = [];
  for (let group = tree.getThingGroup(root); group !== undefined; group = nextGroup(tree, root, group)) {
    const listedHere = listedIn(tree, order, group, Number.POSITIVE_INFINITY);
    const { members } = group;
    for (let i = 0; i < members.length; i++) {
      const key = members.keyAt(i);
      if (listedHere(key)) keys.push(key);
    }
  }
  return keys;
}

/** Whether `group` is `root` or one of its descendants. */
export function isInTree(tree: GroupTree, root: string, group: string): boolean {
  for (let at = tree.getThingGroup(group); at !== undefined; ) {
    if (at.thingGroupName === root) return true;
    at = at.parentGroupName === undefined ? undefined : tree.getThingGroup(at.parentGroupName);
  }
  return false;
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
 * Each group of root's tree with its position in the walk (depth first,
 * parents first): comparing two positions orders groups as the walk visits
 * them, and a group outside the tree has none. Groups are few, so this costs
 * far less than the members a page reads.
 */
function walkOrder(tree: GroupTree, root: string): ReadonlyMap<string, number> {
  const order = new Map<string, number>();
  for (let group = tree.getThingGroup(root); group !== undefined; group = nextGroup(tree, root, group)) {
    order.set(group.thingGroupName, order.size);
  }
  return order;
}

/**
 * A member filter for `group`: true for the things whose first group in root's
 * walk is `group`, counting only the memberships up to `mark`.
 */
function listedIn(
  tree: GroupTree,
  order: ReadonlyMap<string, number>,
  group: ThingGroupRecord,
  mark: number,
): (thing: number) => boolean {
  const name = group.thingGroupName;
  const here = order.get(name) ?? 0;
  return (thing) => {
    const groups = tree.directGroupsAt(thing);
    if (groups.length === 1) return true;
    for (let k = 0; k < groups.length; k++) {
      const other = groups[k]!;
      if (other === name || tree.joinedAt(thing, k) > mark) continue;
      const there = order.get(other);
      if (there !== undefined && there < here) return false;
    }
    return true;
  };
}

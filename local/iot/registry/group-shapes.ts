/**
 * The lists of direct groups things have, each kept once. A seeded fleet has
 * a million things but a few dozen distinct lists (region × hardware ×
 * cohort), so a thing holds the number of its list, and joining a group
 * moves it to the list with that group appended (found in a small table of
 * moves, not built again).
 */

/** The shape of a thing in no group. */
export const noGroups = 0;

export class GroupShapes {
  private readonly lists: (readonly string[])[] = [Object.freeze([])];
  private readonly moves: Map<string, number>[] = [new Map()];
  private closures: (readonly string[] | undefined)[] = [];
  /** Each list's shape by its names, so leaving a group finds the list that is left. */
  private readonly byNames = new Map<string, number>([['', noGroups]]);

  /** The direct groups of a shape, in the order they were joined. */
  groups(shape: number): readonly string[] {
    return this.lists[shape]!;
  }

  /** The shape with `group` joined last. */
  with(shape: number, group: string): number {
    const moves = this.moves[shape]!;
    const known = moves.get(group);
    if (known !== undefined) return known;
    const next = this.shapeOf([...this.lists[shape]!, group]);
    moves.set(group, next);
    return next;
  }

  /** The shape with `group` left (the others keep their order); the same shape when it had no such group. */
  without(shape: number, group: string): number {
    const list = this.lists[shape]!;
    return list.includes(group) ? this.shapeOf(list.filter((g) => g !== group)) : shape;
  }

  /**
   * Forgets every closure: a deleted group's name may come back as a new
   * group under another parent, with other ancestors.
   */
  forgetClosures(): void {
    this.closures = [];
  }

  /** The shape of exactly this list, added when it is new. */
  private shapeOf(list: readonly string[]): number {
    // Thing-group names have no newline (`[a-zA-Z0-9:_-]+`), so it separates them unambiguously.
    const key = list.join('\n');
    const known = this.byNames.get(key);
    if (known !== undefined) return known;
    const next = this.lists.length;
    this.lists.push(Object.freeze([...list]));
    this.moves.push(new Map());
    this.byNames.set(key, next);
    return next;
  }

  /**
   * The direct groups, then their ancestors, each once. Kept per shape:
   * groups never move, so a group's ancestors never change while it exists
   * (see {@link forgetClosures}).
   */
  closure(shape: number, ancestors: (group: string) => readonly string[]): readonly string[] {
    const known = this.closures[shape];
    if (known) return known;
    const direct = this.lists[shape]!;
    const out = new Set(direct);
    for (const group of direct) for (const ancestor of ancestors(group)) out.add(ancestor);
    const closure = Object.freeze([...out]);
    this.closures[shape] = closure;
    return closure;
  }
}

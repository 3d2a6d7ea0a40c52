/**
 * MQTT topic filters in a trie of their levels, counted (several clients
 * may hold the same filter), answering whether any filter matches a topic.
 * A match walks the topic's levels once, following at each level the
 * literal child, `+` and `#`: its cost grows with the topic's depth and the
 * wildcards on its path, not with how many filters are held.
 */

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Filters ending at this node. */
  count: number;
}

const node = (): TrieNode => ({ children: new Map(), count: 0 });

export class TopicTrie {
  private readonly root = node();

  /** Adds one holder of `filter`. */
  add(filter: string): void {
    let at = this.root;
    for (const level of filter.split('/')) {
      let child = at.children.get(level);
      if (child === undefined) {
        child = node();
        at.children.set(level, child);
      }
      at = child;
    }
    at.count++;
  }

  /** Removes one holder of `filter`, and the nodes nothing needs any more. */
  remove(filter: string): void {
    const path: [TrieNode, string][] = [];
    let at = this.root;
    for (const level of filter.split('/')) {
      const child = at.children.get(level);
      if (child === undefined) return;
      path.push([at, level]);
      at = child;
    }
    if (at.count === 0) return;
    at.count--;
    for (let i = path.length - 1; i >= 0; i--) {
      const [parent, level] = path[i]!;
      const child = parent.children.get(level)!;
      if (child.count > 0 || child.children.size > 0) break;
      parent.children.delete(level);
    }
  }

  /**
   * Whether a held filter matches `topic` (`+` one level, `#` the rest and
   * the parent level). A leading wildcard never matches a `$` topic (MQTT
   * 3.1.1 §4.7.2).
   */
  matches(topic: string): boolean {
    return this.matchFrom(this.root, topic.split('/'), 0, topic.startsWith('$'));
  }

  private matchFrom(at: TrieNode, levels: string[], index: number, dollar: boolean): boolean {
    const wildcards = !(dollar && index === 0);
    if (wildcards && (at.children.get('#')?.count ?? 0) > 0) return true;
    if (index === levels.length) return at.count > 0;
    const literal = at.children.get(levels[index]!);
    if (literal !== undefined && this.matchFrom(literal, levels, index + 1, dollar)) return true;
    const plus = wildcards ? at.children.get('+') : undefined;
    return plus !== undefined && this.matchFrom(plus, levels, index + 1, dollar);
  }
}

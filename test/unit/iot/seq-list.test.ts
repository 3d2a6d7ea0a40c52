import { describe, expect, it } from 'vitest';
import { ExecutionTable, noThingKey } from '../../../local/iot/jobs/execution-table.js';
import { decodeToken, encodeToken, SeqList } from '../../../local/iot/pagination.js';

describe('SeqList', () => {
  it('pages in sequence order and hands out a cursor only when a live item follows', () => {
    const list = new SeqList<string>(() => true);
    for (const [i, v] of ['a', 'b', 'c'].entries()) list.push(i + 1, v);
    expect(list.page(undefined, 2)).toEqual({ items: ['a', 'b'], nextAfter: 2 });
    expect(list.page(2, 2)).toEqual({ items: ['c'] });
    expect(list.page(3, 2)).toEqual({ items: [] });
  });

  it('skips entries that stopped being live and keeps cursors valid across compaction', () => {
    const live = new Set<number>();
    const list = new SeqList<number>((n) => live.has(n));
    for (let i = 1; i <= 5000; i++) {
      live.add(i);
      list.push(i, i);
    }
    const first = list.page(undefined, 10);
    // Drop 4,000 entries after the cursor: compaction runs on the way.
    for (let i = 11; i <= 4010; i++) {
      live.delete(i);
      list.markStale();
    }
    expect(list.page(first.nextAfter, 3).items).toEqual([4011, 4012, 4013]);
    expect([...list.values()]).toHaveLength(1000);
  });

  it('reads O(page) entries from a cursor deep in a 100,000-entry list', () => {
    let reads = 0;
    const list = new SeqList<number>(() => {
      reads++;
      return true;
    });
    for (let i = 1; i <= 100_000; i++) list.push(i, i);
    reads = 0;
    const page = list.page(90_000, 250);
    expect(page.items[0]).toBe(90_001);
    // The 250 items returned plus the one that proves a next page exists.
    expect(reads).toBe(251);
  });

  it('applies a filter while paging', () => {
    const list = new SeqList<number>(() => true);
    for (let i = 1; i <= 10; i++) list.push(i, i);
    const even = (n: number) => n % 2 === 0;
    expect(list.page(undefined, 2, even)).toEqual({ items: [2, 4], nextAfter: 4 });
    expect(list.page(8, 2, even)).toEqual({ items: [10] });
  });
});

describe('pagination tokens', () => {
  it('round-trips a cursor within its scope', () => {
    expect(decodeToken('jobs', encodeToken('jobs', 42))).toBe(42);
    expect(decodeToken('jobs', undefined)).toBeUndefined();
  });

  it('refuses a token of another scope or garbage with InvalidRequestException', () => {
    expect(() => decodeToken('things', encodeToken('jobs', 1))).toThrow(
      expect.objectContaining({ name: 'InvalidRequestException' }),
    );
    expect(() => decodeToken('jobs', '%%%')).toThrow(
      expect.objectContaining({ name: 'InvalidRequestException' }),
    );
  });
});

describe('ExecutionTable iteration', () => {
  it('visits every QUEUED execution once while each is moved on during the iteration', () => {
    const table = new ExecutionTable('job', {
      keyOf: () => undefined,
      arnOf: (thingName) => `arn:${thingName}`,
    });
    for (let i = 0; i < 5000; i++) table.add(`t-${i}`, 0);
    const visited: string[] = [];
    // Moving thousands of entries out of QUEUED compacts its list mid-iteration.
    for (const execution of table.list('QUEUED').values()) {
      visited.push(execution.thingName);
      table.setStatus(table.indexOf(execution.thingName)!, 'IN_PROGRESS');
    }
    expect(visited).toHaveLength(5000);
    expect(new Set(visited).size).toBe(5000);
    expect(table.count('QUEUED')).toBe(0);
    expect(table.count('IN_PROGRESS')).toBe(5000);
  });
});

describe('ExecutionTable by registry key', () => {
  const registry = new Map([
    ['a', 0],
    ['b', 7],
  ]);
  const things = { keyOf: (name: string) => registry.get(name), arnOf: (name: string) => `arn:${name}` };

  it('finds executions added by key and by name, strays included, and keeps one per thing', () => {
    const table = new ExecutionTable('job', things);
    expect(table.addKey(7, 'b', 0)).toBe(0);
    expect(table.add('stray', 0)).toBe(1);
    expect(table.add('a', 0)).toBe(2);
    expect(table.addKey(7, 'b', 0)).toBeUndefined();
    expect(table.add('b', 0)).toBeUndefined();
    expect(table.add('stray', 0)).toBeUndefined();
    expect([table.indexOf('a'), table.indexOf('b'), table.indexOf('stray'), table.indexOf('none')]).toEqual([
      2,
      0,
      1,
      undefined,
    ]);
    expect([table.thingKeyAt(0), table.thingKeyAt(1), table.thingKeyAt(2)]).toEqual([7, noThingKey, 0]);
    expect(table.get('b')).toMatchObject({ thingName: 'b', thingArn: 'arn:b', status: 'QUEUED' });
    expect(table.size).toBe(3);
  });

  it('finds every execution by key before and after its key index turns from a map into an array', () => {
    const table = new ExecutionTable('job', { keyOf: () => undefined, arnOf: (name) => `arn:${name}` });
    // A small job over high keys (a canary on a large fleet), then enough keys to turn dense,
    // then keys past the dense array's first length.
    const keys = [999_999, 500_000, ...Array.from({ length: 3000 }, (_, i) => i * 3), 1_048_576, 2_000_000];
    for (const [position, key] of keys.entries())
      expect(table.addKey(key, `t${key}`, 0), String(key)).toBe(position);
    for (const key of keys) expect(table.addKey(key, `t${key}`, 0), String(key)).toBeUndefined();
    expect(table.size).toBe(keys.length);
    expect(keys.every((key, position) => table.thingKeyAt(position) === key)).toBe(true);
  });

  it('grows its key column for a key far beyond its first capacity', () => {
    const table = new ExecutionTable('job', { keyOf: () => undefined, arnOf: (name) => `arn:${name}` });
    expect(table.addKey(1_000_000, 'far', 0)).toBe(0);
    expect(table.addKey(5, 'near', 0)).toBe(1);
    expect(table.addKey(1_000_000, 'far', 0)).toBeUndefined();
    expect(table.thingKeyAt(0)).toBe(1_000_000);
  });
});

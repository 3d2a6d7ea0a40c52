/** Mapping over a list with at most a fixed number of calls in flight. */

/**
 * `items.map(run)` with at most `limit` calls of `run` pending at once,
 * results in the order of `items`. The first rejection rejects the whole;
 * calls already started finish, none is started after it.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await run(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

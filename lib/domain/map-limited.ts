/** Mapping over a list with at most a fixed number of calls in flight. */

/**
 * `items.map(run)` with at most `limit` calls of `run` pending at once,
 * results in the order of `items`. After a call rejects none is started,
 * and the whole rejects (with the first rejection) only once the calls
 * already started have settled: a caller that answers on the rejection
 * leaves no call of its own still running (and still spending, say, a rate
 * budget with its retries) behind it.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await run(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

/**
 * Runs `work` over every item with at most `limit` calls in flight and resolves when all are done.
 * `work` handles its own failures: fan-out must reach everyone else whatever one call does.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

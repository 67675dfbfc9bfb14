/**
 * Runs `task` over `items` with at most `limit` in flight; results keep the items' order.
 * Items for which `startFirst` is true are started before the others.
 */
export async function runBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>, startFirst?: (item: T) => boolean): Promise<R[]> {
  const results = new Array<R>(items.length);
  let order: number[] | null = null;
  if (startFirst) {
    const first: number[] = [];
    const rest: number[] = [];
    items.forEach((item, i) => (startFirst(item) ? first : rest).push(i));
    if (first.length > 0) order = first.concat(rest);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = order ? order[next++] : next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

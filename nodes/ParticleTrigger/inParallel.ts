/**
 * A few requests at a time. The trigger lists pages and reads vitals several in flight (all behind the same 429 gate),
 * so a large fleet is read in a fraction of the time one-by-one takes, without a burst Particle would refuse.
 */

/** Runs `work` for every item, at most `limit` at once, starting them in item order. The first failure rejects. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async (): Promise<void> => {
		// After a failure no new item starts; those in flight finish.
		while (failure === undefined && next < items.length) {
			const index = next++;
			try {
				await work(items[index], index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
	if (failure !== undefined) throw failure.error;
}

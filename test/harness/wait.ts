/** Waits for tests: on a condition, never a fixed sleep, failing with what was awaited. */

export async function until(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** A plain pause, for "nothing more arrives in this time" checks only. */
export const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

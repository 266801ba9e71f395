/** Waiting on conditions, never on fixed sleeps: every wait is bounded and says what it waited for. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
	{ timeoutMs, everyMs = 250 }: { timeoutMs: number; everyMs?: number },
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
		}
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

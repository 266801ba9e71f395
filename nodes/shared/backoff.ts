/**
 * When to send a failed request again, and after how long. Pure, so the schedule is unit-tested.
 *
 * - 429 (and 529, which Particle's docs name for stream opens) means the cloud refused before anything ran: wait
 *   as `Retry-After` says, else a jittered exponential wait, then send again, a bounded number of times.
 * - 5xx and network errors are retried for reads only. A function call, a publish or any other write may already
 *   have reached the device, so it is never sent twice; neither is anything after a 408.
 */

export const RATE_LIMIT_MAX_RETRIES = 5;
export const SERVER_ERROR_MAX_RETRIES = 3;
export const RATE_LIMIT_BASE_WAIT_MS = 1000;
export const SERVER_ERROR_BASE_WAIT_MS = 500;
export const MAX_WAIT_MS = 60_000;

export type RetryDecision = { retry: false } | { retry: true; waitMs: number };

export interface FailedAttempt {
	method: string;
	/** HTTP status, when the cloud answered. */
	status?: number;
	/** Set when no HTTP answer arrived (reset, refused, timed out). */
	networkError?: boolean;
	/** How many retries were already made for this request. */
	retriesSoFar: number;
	/** Raw `Retry-After` header value, if any. */
	retryAfter?: string;
	/** A number in [0, 1): injectable for tests. */
	random?: number;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isRateLimitStatus(status: number | undefined): boolean {
	return status === 429 || status === 529;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const at = Date.parse(trimmed);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - now);
}

/** Exponential wait with jitter between half and all of the step, capped. */
export function jitteredWait(baseMs: number, retriesSoFar: number, random: number): number {
	const step = Math.min(MAX_WAIT_MS, baseMs * 2 ** retriesSoFar);
	return Math.round(step / 2 + (step / 2) * random);
}

export function decideRetry(attempt: FailedAttempt): RetryDecision {
	const random = attempt.random ?? Math.random();
	if (isRateLimitStatus(attempt.status)) {
		if (attempt.retriesSoFar >= RATE_LIMIT_MAX_RETRIES) return { retry: false };
		const asked = parseRetryAfter(attempt.retryAfter);
		// A server that asks for more than the cap is answered with an error, not a hidden long wait.
		if (asked !== undefined) return asked <= MAX_WAIT_MS ? { retry: true, waitMs: asked } : { retry: false };
		return { retry: true, waitMs: jitteredWait(RATE_LIMIT_BASE_WAIT_MS, attempt.retriesSoFar, random) };
	}
	const isRead = READ_METHODS.has(attempt.method.toUpperCase());
	const transient = attempt.networkError === true || (attempt.status !== undefined && attempt.status >= 500);
	if (isRead && transient && attempt.retriesSoFar < SERVER_ERROR_MAX_RETRIES) {
		return { retry: true, waitMs: jitteredWait(SERVER_ERROR_BASE_WAIT_MS, attempt.retriesSoFar, random) };
	}
	return { retry: false };
}

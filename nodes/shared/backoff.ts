/**
 * When to send a failed request again, and after how long. Pure, so the schedule is unit-tested.
 *
 * - 429 (and 529, which Particle's docs name for stream opens) means the cloud refused before anything ran, so it is
 *   always safe to send again, a write too: wait as `Retry-After` says, else a jittered exponential wait, and send
 *   again while the request's time budget lasts (`RATE_LIMIT_BUDGET_MS` of waiting in all). A count alone would
 *   give up while the rate window is still closed: ten requests reopened together are refused together.
 * - 5xx and network errors are retried for reads only. A function call, a publish or any other write may already
 *   have reached the device, so it is never sent twice; neither is anything after a 408.
 */

/**
 * How long one request may wait for the rate limit in all, from the first time it was held: Particle counts its
 * 10,000 requests over 5 minutes, so a request still refused after waiting that long is refused for another reason
 * than a burst (another client on the same IP), and the error says so instead of waiting on.
 */
export const RATE_LIMIT_BUDGET_MS = 5 * 60_000;
/** Only a bound on the loop (a cloud answering 429 with `Retry-After: 0` for ever); the time budget ends it first. */
export const RATE_LIMIT_MAX_RETRIES = 200;
export const SERVER_ERROR_MAX_RETRIES = 3;
export const RATE_LIMIT_BASE_WAIT_MS = 1000;
export const SERVER_ERROR_BASE_WAIT_MS = 500;
export const MAX_WAIT_MS = 60_000;

/**
 * `budgetSpent`: a 429 not sent again because the request has waited as long as it may (RATE_LIMIT_BUDGET_MS); its
 * `waitMs` is the wait the cloud asked for all the same, which the requests behind the shared gate still owe it.
 */
export type RetryDecision = { retry: false } | { retry: false; budgetSpent: true; waitMs: number } | { retry: true; waitMs: number };

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
	/** How long this request has been held by the rate limit so far (its 429 waits and a closed gate), in ms. */
	rateLimitedForMs?: number;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isRateLimitStatus(status: number | undefined): boolean {
	return status === 429 || status === 529;
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** The three HTTP date forms (RFC 9110 section 5.6.7): IMF-fixdate, the obsolete RFC 850 form, and asctime. */
const HTTP_DATE = new RegExp(
	`^(?:${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT|${LONG_DAY}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT|${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4})$`,
);

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 section 10.2.3), nothing else. Anything
 * else ("-5", "5, 10", a bare number with a unit) is undefined, so the caller falls back to its own jittered wait
 * instead of reading it as some date in 2001 and sending again at once.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined) return undefined;
	const trimmed = value.trim();
	if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
	if (!HTTP_DATE.test(trimmed)) return undefined;
	// asctime has no zone; HTTP dates are always GMT.
	const at = Date.parse(trimmed.endsWith('GMT') ? trimmed : `${trimmed} GMT`);
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
		const asked = parseRetryAfter(attempt.retryAfter);
		// A server that asks for more than the cap is answered with an error, not a hidden long wait.
		if (asked !== undefined && asked > MAX_WAIT_MS) return { retry: false };
		const waitMs = asked ?? jitteredWait(RATE_LIMIT_BASE_WAIT_MS, attempt.retriesSoFar, random);
		const spent = attempt.retriesSoFar >= RATE_LIMIT_MAX_RETRIES || (attempt.rateLimitedForMs ?? 0) + waitMs > RATE_LIMIT_BUDGET_MS;
		return spent ? { retry: false, budgetSpent: true, waitMs } : { retry: true, waitMs };
	}
	const isRead = READ_METHODS.has(attempt.method.toUpperCase());
	const transient = attempt.networkError === true || (attempt.status !== undefined && attempt.status >= 500);
	if (isRead && transient && attempt.retriesSoFar < SERVER_ERROR_MAX_RETRIES) {
		return { retry: true, waitMs: jitteredWait(SERVER_ERROR_BASE_WAIT_MS, attempt.retriesSoFar, random) };
	}
	return { retry: false };
}

import {
	decideRetry,
	jitteredWait,
	MAX_WAIT_MS,
	parseRetryAfter,
	RATE_LIMIT_BUDGET_MS,
	RATE_LIMIT_MAX_RETRIES,
	SERVER_ERROR_MAX_RETRIES,
} from '../../nodes/shared/backoff';

describe('back-off schedule', () => {
	it('waits as Retry-After says, in seconds or as a date', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter(' 7 ')).toBe(7000);
		expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(decideRetry({ method: 'POST', status: 429, retriesSoFar: 0, retryAfter: '3' })).toEqual({
			retry: true,
			waitMs: 3000,
		});
	});

	it.each([
		['a negative number', '-5'],
		['two values (a header sent twice)', '5, 10'],
		['a fraction (delta-seconds is a whole number)', '0.5'],
		['a number with a unit', '10s'],
		['an ISO date', '2026-12-02T00:00:10Z'],
		['an empty value', ''],
		['a word', 'soon'],
	])('reads %s as no Retry-After at all, so the jittered fallback applies (was a date in 2001: resent at once)', (_name, value) => {
		expect(parseRetryAfter(value, Date.parse('2026-12-02T00:00:00Z'))).toBeUndefined();
		const decision = decideRetry({ method: 'GET', status: 429, retriesSoFar: 0, retryAfter: value, random: 0 });
		expect(decision).toEqual({ retry: true, waitMs: 500 });
	});

	it('reads the three HTTP date forms, always as GMT', () => {
		const now = Date.parse('2026-12-02T00:00:00Z');
		expect(parseRetryAfter('Wed, 02 Dec 2026 00:00:10 GMT', now)).toBe(10_000);
		expect(parseRetryAfter('Wednesday, 02-Dec-26 00:00:10 GMT', now)).toBe(10_000);
		expect(parseRetryAfter('Wed Dec  2 00:00:10 2026', now)).toBe(10_000);
		expect(parseRetryAfter('Wed, 02 Dec 2026 00:00:10 +0100', now)).toBeUndefined();
	});

	it('without Retry-After, doubles a jittered wait between half and all of each step', () => {
		const waits = [0, 1, 2, 3].map((retries) => [jitteredWait(1000, retries, 0), jitteredWait(1000, retries, 0.999999)]);
		expect(waits).toEqual([
			[500, 1000],
			[1000, 2000],
			[2000, 4000],
			[4000, 8000],
		]);
		expect(jitteredWait(1000, 20, 1)).toBe(MAX_WAIT_MS);
	});

	// Was "a bounded number of times" (5 retries): ten requests reopened together were refused together until each had
	// used its five, and items were lost. Now a 429 is sent again while the request's time budget lasts.
	it('retries 429 and 529 for every method while the time budget lasts, many more times than five', () => {
		for (const status of [429, 529]) {
			for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
				expect(decideRetry({ method, status, retriesSoFar: 0, random: 0 }).retry).toBe(true);
				expect(decideRetry({ method, status, retriesSoFar: 20, retryAfter: '1', rateLimitedForMs: 20_000 })).toEqual({ retry: true, waitMs: 1000 });
				expect(decideRetry({ method, status, retriesSoFar: RATE_LIMIT_MAX_RETRIES, retryAfter: '0' })).toEqual({ retry: false, budgetSpent: true, waitMs: 0 });
			}
		}
	});

	it('gives up on a 429 when the next wait would pass the budget, and says the budget was spent', () => {
		expect(RATE_LIMIT_BUDGET_MS).toBe(300_000);
		const justInside = decideRetry({ method: 'POST', status: 429, retriesSoFar: 9, retryAfter: '10', rateLimitedForMs: RATE_LIMIT_BUDGET_MS - 10_000 });
		expect(justInside).toEqual({ retry: true, waitMs: 10_000 });
		const past = decideRetry({ method: 'POST', status: 429, retriesSoFar: 9, retryAfter: '10', rateLimitedForMs: RATE_LIMIT_BUDGET_MS - 9_999 });
		expect(past).toEqual({ retry: false, budgetSpent: true, waitMs: 10_000 });
		// Without Retry-After the jittered wait counts against the budget the same way (capped at a minute a wait).
		expect(decideRetry({ method: 'GET', status: 429, retriesSoFar: 30, random: 0.5, rateLimitedForMs: 200_000 })).toEqual({ retry: true, waitMs: 45_000 });
		expect(decideRetry({ method: 'GET', status: 429, retriesSoFar: 30, random: 0.5, rateLimitedForMs: 260_000 })).toEqual({ retry: false, budgetSpent: true, waitMs: 45_000 });
	});

	it('the budget is for 429s alone: a write is still never sent again after a 5xx, a reset or a 408', () => {
		for (const method of ['POST', 'PUT', 'DELETE']) {
			for (const failure of [{ status: 500 }, { status: 503 }, { status: 408 }, { networkError: true }]) {
				expect(decideRetry({ method, ...failure, retriesSoFar: 0, rateLimitedForMs: 0 })).toEqual({ retry: false });
			}
		}
	});

	it('gives up rather than hide a wait longer than the cap', () => {
		expect(decideRetry({ method: 'GET', status: 429, retriesSoFar: 0, retryAfter: '3600' }).retry).toBe(false);
	});

	it('retries reads on 5xx and network errors, never writes', () => {
		for (const status of [500, 502, 503]) {
			expect(decideRetry({ method: 'GET', status, retriesSoFar: 0 }).retry).toBe(true);
			expect(decideRetry({ method: 'GET', status, retriesSoFar: SERVER_ERROR_MAX_RETRIES }).retry).toBe(false);
			for (const method of ['POST', 'PUT', 'DELETE']) {
				expect(decideRetry({ method, status, retriesSoFar: 0 }).retry).toBe(false);
			}
		}
		expect(decideRetry({ method: 'GET', networkError: true, retriesSoFar: 0 }).retry).toBe(true);
		expect(decideRetry({ method: 'POST', networkError: true, retriesSoFar: 0 }).retry).toBe(false);
	});

	it('never retries 4xx answers other than 429, nor 408', () => {
		for (const status of [400, 401, 403, 404, 408]) {
			for (const method of ['GET', 'POST']) {
				expect(decideRetry({ method, status, retriesSoFar: 0 }).retry).toBe(false);
			}
		}
	});
});

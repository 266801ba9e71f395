/**
 * What a poll may cost. Particle allows 10,000 requests per 5 minutes per public IP, shared by everything behind
 * that IP. A poll costs ceil(N / 100) device-list requests for N product devices (1 for the sandbox), plus one vitals
 * read per device heard from since its vitals were last read (vitals events only). The trigger keeps to a request
 * budget per 5 minutes: split over the polls n8n runs in 5 minutes (from its Poll Times), it caps the vitals reads
 * of a poll; the rest are read on later polls, longest waiting first. Pure.
 */

export const PARTICLE_REQUESTS_PER_5_MINUTES = 10_000;
/** Half of Particle's limit: the rest is left to the other workflows and tools behind the same IP. */
export const DEFAULT_REQUEST_BUDGET = 5_000;
export const PAGE_SIZE = 100;

export function listRequests(devices: number): number {
	return Math.max(1, Math.ceil(devices / PAGE_SIZE));
}

/** One entry of n8n's Poll Times (`pollTimes.item[]`). */
interface PollTime {
	mode?: unknown;
	value?: unknown;
	unit?: unknown;
	cronExpression?: unknown;
}

/** How many times a cron field fires in its range; `*` = `span`. Unreadable fields count as `span` (the worst case). */
function firings(field: string, span: number): number {
	let total = 0;
	for (const part of field.split(',')) {
		const [range, stepText] = part.split('/');
		const step = stepText === undefined ? 1 : Number(stepText);
		if (!(Number.isInteger(step) && step >= 1)) return span;
		let width: number;
		if (range === '*') width = span;
		else if (/^\d+$/.test(range)) width = stepText === undefined ? 1 : span - Number(range);
		else if (/^\d+-\d+$/.test(range)) {
			const [low, high] = range.split('-').map(Number);
			width = high - low + 1;
		} else return span;
		total += Math.max(1, Math.ceil(width / step));
	}
	return Math.min(total, span);
}

/** Polls of one Poll Times entry in the busiest 5 minutes. */
function pollsOf(time: PollTime): number {
	switch (time.mode) {
		case 'everyMinute':
			return 5;
		case 'everyHour':
			return 1;
		case 'everyX': {
			const every = Math.max(1, Math.floor(Number(time.value)) || 1);
			return time.unit === 'minutes' ? Math.ceil(5 / every) : 1;
		}
		case 'custom': {
			const fields = String(time.cronExpression ?? '').trim().split(/\s+/);
			// n8n refuses polls more often than once a minute, so a seconds field adds nothing.
			const minute = (fields.length === 6 ? fields[1] : fields[0]) ?? '*';
			const stepped = /^\*\/(\d+)$/.exec(minute);
			if (stepped) return Math.ceil(5 / Math.max(1, Number(stepped[1])));
			// A list or range may bunch its polls together: count them all in the same 5 minutes, up to 5.
			return Math.min(5, firings(minute, 60));
		}
		default:
			// Every day, week or month: at most once in 5 minutes.
			return 1;
	}
}

/** Polls n8n may run in 5 minutes for these Poll Times (the default, every minute, when unreadable). */
export function pollsPerFiveMinutes(pollTimes: unknown): number {
	const items = (pollTimes as { item?: unknown } | null)?.item;
	if (!Array.isArray(items) || items.length === 0) return 5;
	return items.reduce<number>((sum, item) => sum + pollsOf((item ?? {}) as PollTime), 0);
}

/** Requests one poll may send: its share of the budget, and never more than the budget itself. */
export function requestsPerPoll(budgetPerFiveMinutes: number, pollsInFiveMinutes: number): number {
	return Math.max(1, Math.floor(Math.min(budgetPerFiveMinutes, budgetPerFiveMinutes / Math.max(1, pollsInFiveMinutes))));
}

/**
 * What a poll of this fleet costs, in words, for the places a user sees it (the sample items, the log). `warning`:
 * the device list alone takes the poll's share of the budget (all of it, with a vitals event), or more than Particle's
 * 10,000 requests per 5 minutes.
 */
export function describeCost(devices: number | undefined, product: boolean, watchingVitals: boolean, pollsInFiveMinutes: number, budget: number): { text: string; warning: boolean } {
	const list = product ? listRequests(devices ?? 0) : 1;
	const perPoll = requestsPerPoll(budget, pollsInFiveMinutes);
	const perFive = Math.ceil(list * pollsInFiveMinutes);
	const fleet = devices === undefined ? 'this fleet' : `${devices.toLocaleString('en-US')} devices`;
	const vitals = watchingVitals ? `, plus one vitals read per device heard from since its last read (up to ${Math.max(0, perPoll - list).toLocaleString('en-US')} a poll)` : '';
	const text = `A poll of ${fleet} costs ${list.toLocaleString('en-US')} device-list request${list === 1 ? '' : 's'}${vitals}: ${perFive.toLocaleString('en-US')} per 5 minutes for the list alone at these Poll Times. Particle allows ${PARTICLE_REQUESTS_PER_5_MINUTES.toLocaleString('en-US')} per 5 minutes per IP; this trigger's Request Budget is ${budget.toLocaleString('en-US')}.`;
	return { text, warning: list > perPoll || (watchingVitals && list >= perPoll) || perFive > PARTICLE_REQUESTS_PER_5_MINUTES };
}

/**
 * Fleet administration state: API users (programmatic team members) and service agreements with usage reports.
 */

export interface ApiUserOwner {
	kind: 'product' | 'org';
	/** Product id (as text) or organization id. */
	id: string;
}

export interface FakeApiUser {
	username: string;
	friendly_name: string;
	scopes: string[];
	owner: ApiUserOwner;
	token: string;
}

export interface FakeUsageReport {
	id: string;
	type: 'usage_report';
	attributes: Record<string, unknown>;
	/** Where it belongs: 'user' or an organization id. */
	owner: string;
	/** From this time (ms) on, the next read finds it available. */
	readyAt: number;
}

export interface FakeServiceAgreement {
	id: string;
	type: 'service_agreement';
	/** 'user' for the sandbox agreement, else the organization id. */
	owner: string;
	/** Day of the month (1-31) each monthly billing period starts on; the current period follows the clock. */
	billingDay: number;
	attributes: Record<string, unknown>;
}

const DAY_MS = 86_400_000;

/** Midnight UTC of a date given by parts (months may overflow); a day past the month's end becomes its last day. */
function clampedDay(year: number, month: number, day: number): number {
	const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
	return Date.UTC(year, month, Math.min(day, lastDay));
}

export interface BillingPeriod {
	/** First day, `YYYY-MM-DD`. */
	start: string;
	/** Last day, `YYYY-MM-DD`. */
	end: string;
	/** First day of the next period. */
	next: string;
}

/** The monthly billing period that contains `now`, for periods that start on `billingDay` of each month. */
export function billingPeriodAt(billingDay: number, now: number): BillingPeriod {
	const today = new Date(now);
	const [year, month] = [today.getUTCFullYear(), today.getUTCMonth()];
	let start = clampedDay(year, month, billingDay);
	let next = clampedDay(year, month + 1, billingDay);
	if (start > now) {
		next = start;
		start = clampedDay(year, month - 1, billingDay);
	}
	const text = (ms: number) => new Date(ms).toISOString().slice(0, 10);
	return { start: text(start), end: text(next - DAY_MS), next: text(next) };
}

/** The agreement's attributes with the billing period of `now`. */
export function agreementAttributes(agreement: FakeServiceAgreement, now: number): Record<string, unknown> {
	const period = billingPeriodAt(agreement.billingDay, now);
	return {
		...agreement.attributes,
		current_billing_period_start: period.start,
		current_billing_period_end: period.end,
		next_billing_period_start: period.next,
	};
}

export function seedServiceAgreement(id: string, owner: string, ownerType: 'User' | 'Organization', now: number): FakeServiceAgreement {
	const day = (offset: number) => new Date(now + offset * DAY_MS).toISOString().slice(0, 10);
	return {
		id,
		type: 'service_agreement',
		owner,
		// The current period started ten days before the seed time.
		billingDay: new Date(now - 10 * DAY_MS).getUTCDate(),
		attributes: {
			owner_id: owner,
			owner_type: ownerType,
			name: ownerType === 'User' ? 'Free' : 'Basic',
			agreement_type: 'developer',
			duration: 'monthly',
			state: 'active',
			starts_on: day(-200),
			ends_on: null,
			current_usage_summary: {
				device_limit_reached: false,
				connectivity: { all: { owned_devices: 12, billable_devices: 10, device_data: 1200, device_messages: 53000 } },
			},
			pricing_terms: {
				device: { name: 'device', duration: 'monthly', max_devices: 100 },
				messaging: { name: 'messaging', duration: 'monthly', max_messages: 100000 },
			},
		},
	};
}

export function notificationFor(agreement: FakeServiceAgreement, now: number): Record<string, unknown> {
	return {
		id: `${agreement.id}-70`,
		type: 'notification',
		attributes: {
			state: 'completed',
			event_name: 'developer:usage_activity:70_percent',
			time_period: new Date(now - 3 * 86_400_000).toISOString().slice(0, 10),
			created_at: new Date(now - 3 * 86_400_000).toISOString(),
			resource_id: agreement.id,
			resource_type: 'ServiceAgreement',
			details: { event_type: '70_percent', usage_percent: 70 },
		},
	};
}

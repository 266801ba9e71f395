/**
 * Fleet administration state: API users (programmatic team members) and service agreements with usage reports.
 */

/** The scopes Particle documents for API users. */
export const API_USER_SCOPES = [
	'clients:create',
	'clients:list',
	'clients:remove',
	'customers:list',
	'customers:remove',
	'customers:update',
	'devices.diagnostics.metadata:get',
	'devices.diagnostics:get',
	'devices.diagnostics:update',
	'devices.function:call',
	'devices.variable:get',
	'devices:get',
	'devices:import',
	'devices:list',
	'devices:ping',
	'devices:release',
	'devices:remove',
	'devices:update',
	'events:get',
	'events:send',
	'integrations:create',
	'integrations:get',
	'integrations:list',
	'integrations:remove',
	'integrations:test',
	'integrations:update',
	'products:get',
	'products:list',
	'service_agreements.notifications:list',
	'service_agreements.usage_reports:create',
	'service_agreements.usage_reports:get',
	'service_agreements:list',
	'sims.status:get',
	'sims.usage:get',
	'sims:get',
	'sims:import',
	'sims:list',
	'sims:remove',
	'sims:update',
	'teams.users:invite',
	'teams.users:list',
	'teams.users:remove',
	'teams.users:update',
];

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
	attributes: Record<string, unknown>;
}

export function seedServiceAgreement(id: string, owner: string, ownerType: 'User' | 'Organization', now: number): FakeServiceAgreement {
	const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
	return {
		id,
		type: 'service_agreement',
		owner,
		attributes: {
			owner_id: owner,
			owner_type: ownerType,
			name: ownerType === 'User' ? 'Free' : 'Basic',
			agreement_type: 'developer',
			duration: 'monthly',
			state: 'active',
			starts_on: day(-200),
			ends_on: null,
			current_billing_period_start: day(-10),
			current_billing_period_end: day(20),
			next_billing_period_start: day(21),
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

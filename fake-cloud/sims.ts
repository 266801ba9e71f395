/**
 * SIM cards: one per cellular device (its ICCID is seeded with the device), their JSON and a data usage generated
 * from (ICCID, date), so the same day always shows the same megabytes. Usage covers the current billing period,
 * day by day, as the reference's "Get data usage" says; the period is the owner's service agreement's.
 */
import { billingPeriodAt, type FakeServiceAgreement } from './admin';
import type { FakeDevice, FakeProduct, Fleet } from './fleet';

const DAY = 86_400_000;
/** A made-up monthly allowance per SIM for the fleet `quota` (particle-api-js types it; value unconfirmed). */
const SIM_MONTHLY_MB = 3;
/** Billing periods start on the 1st when the owner has no service agreement. */
const DEFAULT_BILLING_DAY = 1;

export interface UsageDay {
	date: string;
	mbs_used: number;
	mbs_used_cumulative: number;
}

export type CellularDevice = FakeDevice & { iccid: string };

export const hasSim = (device: FakeDevice): device is CellularDevice => device.iccid !== undefined;

/**
 * A SIM changed through the API (Reference: SIM Cards > Deactivate SIM; Reactivate SIM; Release SIM from account;
 * Diagnostics > Get cellular network status). A SIM without one is as seeded: active, activated once.
 */
export interface FakeSimState {
	/** false after a deactivation or a release: "disabling its ability to connect to a cell tower". */
	connected: boolean;
	/** Released: no longer the user's or the product's ("The SIM will also be deactivated"). */
	released: boolean;
	activations: number;
	deactivations: number;
	lastAction: 'activate' | 'deactivate' | 'reactivate' | 'release';
	updatedAt: string;
	/** The asynchronous network-status task of the last status request. */
	statusTask?: { id: string; createdAt: number; checkAgainAfter: number; expiresAt: number };
}

/** The SIM's state, made on first change from the seeded one (active). */
export function simStateOf(fleet: Fleet, device: CellularDevice): FakeSimState {
	let state = fleet.simStates.get(device.iccid);
	if (!state) {
		state = { connected: true, released: false, activations: 1, deactivations: 0, lastAction: 'activate', updatedAt: device.updated_at };
		fleet.simStates.set(device.iccid, state);
	}
	return state;
}

/** Listed and addressable: every seeded SIM until it is released. */
export const simListed = (fleet: Fleet, device: CellularDevice): boolean => fleet.simStates.get(device.iccid)?.released !== true;

/** Both the docs' `_id` and particle-api-js's `iccid`, the docs' fields and the js type's (`activated_on`, `device_*`). */
export function simJson(fleet: Fleet, device: CellularDevice, product: FakeProduct | undefined): Record<string, unknown> {
	const activated = device.last_handshake_at ?? device.updated_at;
	const state = fleet.simStates.get(device.iccid);
	return {
		_id: device.iccid,
		iccid: device.iccid,
		// "inactive" for a deactivated SIM: the docs' status values (active, inactive, ...) are from an older page (unconfirmed).
		status: state?.connected === false ? 'inactive' : 'active',
		activations_count: state?.activations ?? 1,
		deactivations_count: state?.deactivations ?? 0,
		base_country_code: 'US',
		base_monthly_rate: 299,
		overage_monthly_rate: 40,
		first_activated_on: activated,
		last_activated_on: activated,
		activated_on: activated,
		last_activated_via: product ? 'product_import' : 'user_setup',
		last_status_change_action: state?.lastAction ?? 'activate',
		last_status_change_action_error: 'no',
		msisdn: `1555${device.iccid.slice(-7)}`,
		carrier: 'Fake Mobile',
		last_device_id: device.id,
		last_device_name: device.name,
		device_id: device.id,
		device_name: device.name,
		user_id: fleet.user.id,
		updated_at: state?.updatedAt ?? device.updated_at,
		stripe_plan_slug: 'fake-cellular-plan',
		owner: fleet.user.username,
		...(product ? { product_id: product.id } : {}),
	};
}

/** Megabytes used on one day, 0 to 5, from the ICCID and the date alone. */
function mbsUsed(iccid: string, date: string): number {
	let hash = 17;
	for (const char of `${iccid}/${date}`) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
	return (hash % 500) / 100;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The service agreement billing a SIM: the user's for the sandbox, else the product's organization's (or the user's). */
export function billingAgreementOf(fleet: Fleet, product: FakeProduct | undefined): FakeServiceAgreement | undefined {
	const owner = product?.orgId ?? 'user';
	return fleet.serviceAgreements.find((agreement) => agreement.owner === owner);
}

/** Every day of the current billing period up to today, oldest first. */
function billingDays(agreement: FakeServiceAgreement | undefined, now: number): string[] {
	const { start } = billingPeriodAt(agreement?.billingDay ?? DEFAULT_BILLING_DAY, now);
	const today = new Date(now).toISOString().slice(0, 10);
	const days: string[] = [];
	for (let at = Date.parse(`${start}T00:00:00.000Z`); new Date(at).toISOString().slice(0, 10) <= today; at += DAY) {
		days.push(new Date(at).toISOString().slice(0, 10));
	}
	return days;
}

function withCumulative(days: ReadonlyArray<{ date: string; mbs_used: number }>): UsageDay[] {
	let cumulative = 0;
	return days.map(({ date, mbs_used }) => {
		cumulative = round2(cumulative + mbs_used);
		return { date, mbs_used: round2(mbs_used), mbs_used_cumulative: cumulative };
	});
}

export function simUsage(iccid: string, agreement: FakeServiceAgreement | undefined, now: number): { iccid: string; usage_by_day: UsageDay[] } {
	const days = billingDays(agreement, now).map((date) => ({ date, mbs_used: mbsUsed(iccid, date) }));
	return { iccid, usage_by_day: withCumulative(days) };
}

/** The docs' `total_mbs_used` and `total_active_sim_cards` plus particle-api-js's `quota` and `used`. */
export function fleetUsage(iccids: readonly string[], agreement: FakeServiceAgreement | undefined, now: number): Record<string, unknown> {
	const days = billingDays(agreement, now).map((date) => ({ date, mbs_used: iccids.reduce((sum, iccid) => sum + mbsUsed(iccid, date), 0) }));
	const usageByDay = withCumulative(days);
	const total = usageByDay.at(-1)?.mbs_used_cumulative ?? 0;
	return {
		total_mbs_used: total,
		total_active_sim_cards: iccids.length,
		usage_by_day: usageByDay,
		quota: iccids.length * SIM_MONTHLY_MB,
		used: total,
	};
}

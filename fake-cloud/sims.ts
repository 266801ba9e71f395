/**
 * SIM cards: one per cellular device (its ICCID is seeded with the device), their JSON and a data usage generated
 * from (ICCID, date), so the same day always shows the same megabytes.
 */
import type { FakeDevice, FakeProduct, Fleet } from './fleet';

const DAY = 86_400_000;
/** Days of usage a SIM reports: the real cloud covers the billing period; a week keeps answers small. */
const USAGE_DAYS = 7;
/** A made-up monthly allowance per SIM for the fleet `quota` (particle-api-js types it; value unconfirmed). */
const SIM_MONTHLY_MB = 3;

export interface UsageDay {
	date: string;
	mbs_used: number;
	mbs_used_cumulative: number;
}

export type CellularDevice = FakeDevice & { iccid: string };

export const hasSim = (device: FakeDevice): device is CellularDevice => device.iccid !== undefined;

/** Both the docs' `_id` and particle-api-js's `iccid`, the docs' fields and the js type's (`activated_on`, `device_*`). */
export function simJson(fleet: Fleet, device: CellularDevice, product: FakeProduct | undefined): Record<string, unknown> {
	const activated = device.last_handshake_at ?? device.updated_at;
	return {
		_id: device.iccid,
		iccid: device.iccid,
		status: 'active',
		activations_count: 1,
		deactivations_count: 0,
		base_country_code: 'US',
		base_monthly_rate: 299,
		overage_monthly_rate: 40,
		first_activated_on: activated,
		last_activated_on: activated,
		activated_on: activated,
		last_activated_via: product ? 'product_import' : 'user_setup',
		last_status_change_action: 'activate',
		last_status_change_action_error: 'no',
		msisdn: `1555${device.iccid.slice(-7)}`,
		carrier: 'Fake Mobile',
		last_device_id: device.id,
		last_device_name: device.name,
		device_id: device.id,
		device_name: device.name,
		user_id: fleet.user.id,
		updated_at: device.updated_at,
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

function lastDays(now: number): string[] {
	return Array.from({ length: USAGE_DAYS }, (_, index) => new Date(now - (USAGE_DAYS - 1 - index) * DAY).toISOString().slice(0, 10));
}

function withCumulative(days: ReadonlyArray<{ date: string; mbs_used: number }>): UsageDay[] {
	let cumulative = 0;
	return days.map(({ date, mbs_used }) => {
		cumulative = round2(cumulative + mbs_used);
		return { date, mbs_used: round2(mbs_used), mbs_used_cumulative: cumulative };
	});
}

export function simUsage(iccid: string, now: number): { iccid: string; usage_by_day: UsageDay[] } {
	return { iccid, usage_by_day: withCumulative(lastDays(now).map((date) => ({ date, mbs_used: mbsUsed(iccid, date) }))) };
}

/** The docs' `total_mbs_used` and `total_active_sim_cards` plus particle-api-js's `quota` and `used`. */
export function fleetUsage(iccids: readonly string[], now: number): Record<string, unknown> {
	const days = lastDays(now).map((date) => ({ date, mbs_used: iccids.reduce((sum, iccid) => sum + mbsUsed(iccid, date), 0) }));
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

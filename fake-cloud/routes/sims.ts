/**
 * SIM cards of cellular devices: list (user, or product with paging and filters), get, data usage.
 */
import { accessibleProduct, requireSandboxCaller, requireScope } from '../access';
import { notFound } from '../errors';
import { queryValue } from '../fields';
import type { FakeDevice } from '../fleet';
import { ok } from '../http';
import { pageOf } from '../paging';
import { authed, type RequestContext, type Route } from '../router';

function simJson(device: FakeDevice): Record<string, unknown> {
	return {
		_id: device.iccid,
		iccid: device.iccid,
		status: 'active',
		activations_count: 1,
		deactivations_count: 0,
		base_country_code: 'US',
		carrier: 'Fake Mobile',
		last_device_id: device.id,
		last_device_name: device.name,
		device_id: device.id,
		device_name: device.name,
		first_activated_on: device.last_handshake_at,
		last_activated_on: device.last_handshake_at,
		owner: device.owner,
	};
}

function usage(device: FakeDevice, now: number): Record<string, unknown> {
	let cumulative = 0;
	const days = Array.from({ length: 7 }, (_, index) => {
		const date = new Date(now - (6 - index) * 86_400_000).toISOString().slice(0, 10);
		const used = Math.round(((parseInt(device.id.slice(index * 2, index * 2 + 2), 16) % 50) / 10) * 100) / 100;
		cumulative = Math.round((cumulative + used) * 100) / 100;
		return { date, mbs_used: used, mbs_used_cumulative: cumulative };
	});
	return { iccid: device.iccid, usage_by_day: days };
}

const cellular = (devices: FakeDevice[]) => devices.filter((device) => device.iccid !== undefined);

function findSim(devices: FakeDevice[], iccid: string): FakeDevice {
	const device = devices.find((candidate) => candidate.iccid === iccid);
	if (!device) throw notFound('SIM not found');
	return device;
}

function userSims(ctx: RequestContext): FakeDevice[] {
	return cellular(ctx.fleet.sandboxDevices());
}

export const simRoutes: Route[] = [
	authed('GET', '/v1/sims', (ctx, who) => {
		requireSandboxCaller(who);
		return ok({ sims: userSims(ctx).map(simJson) });
	}),
	authed('GET', '/v1/sims/:iccid', (ctx, who) => {
		requireSandboxCaller(who);
		return ok(simJson(findSim(userSims(ctx), ctx.params.iccid)));
	}),
	authed('GET', '/v1/sims/:iccid/data_usage', (ctx, who) => {
		requireSandboxCaller(who);
		return ok(usage(findSim(userSims(ctx), ctx.params.iccid), ctx.now()));
	}),
	authed('GET', '/v1/products/:product/sims', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'sims:list');
		const contains = (value: string | undefined | null, wanted: string | undefined) =>
			wanted === undefined || (value ?? '').toLowerCase().includes(wanted.toLowerCase());
		const matching = cellular(ctx.fleet.productDevices(product.id)).filter(
			(device) =>
				contains(device.iccid, queryValue(ctx, 'iccid')) &&
				contains(device.id, queryValue(ctx, 'deviceId')) &&
				contains(device.name, queryValue(ctx, 'deviceName')),
		);
		const { items, meta } = pageOf(ctx, matching);
		return ok({ sims: items.map(simJson), meta });
	}),
	authed('GET', '/v1/products/:product/sims/:iccid', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'sims:get');
		return ok(simJson(findSim(cellular(ctx.fleet.productDevices(product.id)), ctx.params.iccid)));
	}),
	authed('GET', '/v1/products/:product/sims/:iccid/data_usage', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'sims.usage:get');
		requireScope(who, 'sims.usage:get');
		return ok(usage(findSim(cellular(ctx.fleet.productDevices(product.id)), ctx.params.iccid), ctx.now()));
	}),
];

// Reference: Cloud API > SIM cards > List SIM cards; Get SIM information; Get data usage; Get data usage for product fleet
/**
 * SIM cards of cellular devices: the user's (sandbox devices) and a product's (paged, filtered); one SIM, its data
 * usage, a product's fleet usage, and the HEAD existence check particle-api-js's `checkSIM` makes.
 */
import { accessibleProduct, requireUser } from '../access';
import { notFound } from '../errors';
import { queryValue } from '../fields';
import type { FakeProduct } from '../fleet';
import { ok, type Reply } from '../http';
import { pageOf } from '../paging';
import { authed, type RequestContext, type Route } from '../router';
import { billingAgreementOf, fleetUsage, hasSim, simJson, simUsage, type CellularDevice } from '../sims';

interface SimTarget {
	sim: CellularDevice;
	/** Set on the product routes. */
	product: FakeProduct | undefined;
}

function simsOf(ctx: RequestContext, product: FakeProduct | undefined): CellularDevice[] {
	return (product ? ctx.fleet.productDevices(product.id) : ctx.fleet.sandboxDevices()).filter(hasSim);
}

function findSim(ctx: RequestContext, product: FakeProduct | undefined): SimTarget {
	const sim = simsOf(ctx, product).find((candidate) => candidate.iccid === ctx.params.iccid);
	if (!sim) throw notFound('SIM not found'); // (text unconfirmed)
	return { sim, product };
}

/** `/v1/sims/:iccid<suffix>` for the user and `/v1/products/:product/sims/:iccid<suffix>`. */
function simTwins(suffix: string, scope: string, handler: (ctx: RequestContext, target: SimTarget) => Reply): Route[] {
	return [
		authed('GET', `/v1/sims/:iccid${suffix}`, (ctx, who) => {
			requireUser(who, scope);
			return handler(ctx, findSim(ctx, undefined));
		}),
		authed('GET', `/v1/products/:product/sims/:iccid${suffix}`, (ctx, who) =>
			handler(ctx, findSim(ctx, accessibleProduct(ctx, who, ctx.params.product, scope))),
		),
	];
}

const contains = (value: string, wanted: string | undefined) => wanted === undefined || value.toLowerCase().includes(wanted.toLowerCase());

export const simRoutes: Route[] = [
	authed('GET', '/v1/sims', (ctx, who) => {
		requireUser(who, 'sims:list');
		return ok({ sims: simsOf(ctx, undefined).map((sim) => simJson(ctx.fleet, sim, undefined)) });
	}),
	// 204 rather than 200: a HEAD answer has no body, and particle-api-js parses every 200 body as JSON (unconfirmed).
	authed('HEAD', '/v1/sims/:iccid', (ctx, who) => {
		requireUser(who, 'sims:get');
		findSim(ctx, undefined);
		return { status: 204 };
	}),
	authed('GET', '/v1/products/:product/sims', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'sims:list');
		const [iccid, deviceId, deviceName] = ['iccid', 'deviceId', 'deviceName'].map((name) => queryValue(ctx, name));
		const matching = simsOf(ctx, product).filter(
			(sim) => contains(sim.iccid, iccid) && contains(sim.id, deviceId) && contains(sim.name, deviceName),
		);
		const { items, meta } = pageOf(ctx, matching);
		return ok({ sims: items.map((sim) => simJson(ctx.fleet, sim, product)), meta });
	}),
	// Before the per-SIM routes, which would take "data_usage" for an ICCID.
	authed('GET', '/v1/products/:product/sims/data_usage', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'sims.usage:get');
		return ok(fleetUsage(simsOf(ctx, product).map((sim) => sim.iccid), billingAgreementOf(ctx.fleet, product), ctx.now()));
	}),
	...simTwins('', 'sims:get', (ctx, { sim, product }) => ok(simJson(ctx.fleet, sim, product))),
	...simTwins('/data_usage', 'sims.usage:get', (ctx, { sim, product }) => ok(simUsage(sim.iccid, billingAgreementOf(ctx.fleet, product), ctx.now()))),
];

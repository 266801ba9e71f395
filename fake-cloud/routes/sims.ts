// Reference: Cloud API > SIM cards > List SIM cards; Get SIM information; Get data usage; Get data usage for product fleet; Activate SIM; Deactivate SIM; Reactivate SIM; Release SIM from account; Remote Diagnostics > Get cellular network status
/**
 * SIM cards of cellular devices: the user's (sandbox devices) and a product's (paged, filtered); one SIM, its data
 * usage, a product's fleet usage, and the HEAD existence check particle-api-js's `checkSIM` makes.
 */
import { accessibleProduct, requireUser } from '../access';
import { badRequest, notFound } from '../errors';
import { optionalField, queryValue, toText } from '../fields';
import type { FakeProduct } from '../fleet';
import { ok, type Reply } from '../http';
import { pageOf } from '../paging';
import { authed, type RequestContext, type Route } from '../router';
import { billingAgreementOf, fleetUsage, hasSim, simJson, simListed, simStateOf, simUsage, type CellularDevice } from '../sims';

interface SimTarget {
	sim: CellularDevice;
	/** Set on the product routes. */
	product: FakeProduct | undefined;
}

function simsOf(ctx: RequestContext, product: FakeProduct | undefined): CellularDevice[] {
	return (product ? ctx.fleet.productDevices(product.id) : ctx.fleet.sandboxDevices()).filter(hasSim).filter((sim) => simListed(ctx.fleet, sim));
}

function findSim(ctx: RequestContext, product: FakeProduct | undefined): SimTarget {
	const sim = simsOf(ctx, product).find((candidate) => candidate.iccid === ctx.params.iccid);
	if (!sim) throw notFound('SIM not found'); // (text unconfirmed)
	return { sim, product };
}

/** `/v1/sims/:iccid<suffix>` for the user and `/v1/products/:product/sims/:iccid<suffix>`. */
function simTwins(suffix: string, scope: string, handler: (ctx: RequestContext, target: SimTarget) => Reply, method = 'GET'): Route[] {
	return [
		authed(method, `/v1/sims/:iccid${suffix}`, (ctx, who) => {
			requireUser(who, scope);
			return handler(ctx, findSim(ctx, undefined));
		}),
		authed(method, `/v1/products/:product/sims/:iccid${suffix}`, (ctx, who) =>
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
	...simTwins('', 'sims:update', changeSim, 'PUT'),
	...simTwins('', 'sims:remove', releaseSim, 'DELETE'),
	...simTwins('/status', 'sims.status:get', networkStatus),
];

/**
 * PUT `action`: "Set to `deactivate` to trigger SIM deactivation", `reactivate` likewise; `activate` only for the
 * user's own SIMs ("Can not be used to activate Product SIM cards"). The reference shows a 200 without a body. A
 * deactivated SIM takes its device offline (it can no longer reach a tower, so it publishes nothing); reactivated,
 * the device connects again. Repeating an action changes nothing (unconfirmed: Particle documents no error for it).
 */
function changeSim(ctx: RequestContext, { sim, product }: SimTarget): Reply {
	const allowed = product ? ['deactivate', 'reactivate'] : ['activate', 'deactivate', 'reactivate'];
	const action = optionalField(ctx, 'action', toText);
	if (action === undefined || !allowed.includes(action)) throw badRequest(`action must be one of: ${allowed.join(', ')}`); // (text unconfirmed)
	const state = simStateOf(ctx.fleet, sim);
	const now = new Date(ctx.now());
	const connect = action !== 'deactivate';
	if (state.connected !== connect) {
		state.connected = connect;
		if (connect) state.activations++;
		else state.deactivations++;
	}
	state.lastAction = action as 'activate' | 'deactivate' | 'reactivate';
	state.updatedAt = now.toISOString();
	ctx.fleet.setOnline(sim.id, connect, now);
	return { status: 200 };
}

/** "Remove a SIM card from an account, disassociating the SIM card from a user or a product. The SIM will also be deactivated." 204. */
function releaseSim(ctx: RequestContext, { sim }: SimTarget): Reply {
	const state = simStateOf(ctx.fleet, sim);
	const now = new Date(ctx.now());
	if (state.connected) state.deactivations++;
	Object.assign(state, { connected: false, released: true, lastAction: 'release', updatedAt: now.toISOString(), statusTask: undefined });
	ctx.fleet.setOnline(sim.id, false, now);
	return { status: 204 };
}

/** How long the fake's network-status task takes, and how long its result is kept (the reference's example: 10 s, 3 min). */
export const SIM_STATUS_TASK_MS = 1000;
const SIM_STATUS_KEPT_MS = 180_000;

/**
 * "Get cellular network status": 202 with `meta` (an asynchronous task: `pending` until `check_again_after`, then
 * `complete` until it expires) and `sim_status`. The connection is the device's: online and its SIM active.
 */
function networkStatus(ctx: RequestContext, { sim }: SimTarget): Reply {
	const state = simStateOf(ctx.fleet, sim);
	const now = ctx.now();
	if (!state.statusTask || now >= state.statusTask.expiresAt) {
		state.statusTask = { id: `${sim.iccid.slice(-6)}${now.toString(16)}`, createdAt: now, checkAgainAfter: now + SIM_STATUS_TASK_MS, expiresAt: now + SIM_STATUS_KEPT_MS };
	}
	const task = state.statusTask;
	const connected = state.connected && sim.online;
	const iso = (at: number) => new Date(at).toISOString();
	return ok(
		{
			ok: true,
			meta: {
				created_at: iso(task.createdAt),
				expires_at: iso(task.expiresAt),
				check_again_after: iso(task.checkAgainAfter),
				state: now >= task.checkAgainAfter ? 'complete' : 'pending',
				method: 'async',
				task_id: task.id,
			},
			sim_status: { connected, gsm_connection: connected, data_connection: connected },
		},
		202,
	);
}

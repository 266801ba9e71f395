// Reference: Cloud API > Ledger > List ledger definitions; Get ledger definition; List ledger instances; Get ledger instance; Set the ledger instance data; Delete ledger instance
/**
 * Ledger: definitions (a name, a scope of Owner, Product or Device, a direction) and their instances, one per scope
 * value (the owner's ID, a product ID, a device ID), each holding a JSON object. The same routes exist for the
 * sandbox (`/v1/ledgers`), a product (`/v1/products/:p/ledgers`) and an organization (`/v1/orgs/:org/ledgers`).
 * A product's routes reach the definitions of the product's owner (the user or its organization), and only the
 * instances that belong to the product: its own, its devices' and its owner's (unconfirmed: the reference shows the
 * routes, not how they relate).
 */
import { accessibleOrg, accessibleProduct, requireUser } from '../access';
import { badRequest, notFound } from '../errors';
import { bodyFields, queryValue, toBoolean } from '../fields';
import type { FakeProduct, Fleet } from '../fleet';
import { ok, type Reply } from '../http';
import { positiveInt } from '../paging';
import { authed, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';

export type LedgerScopeType = 'Owner' | 'Product' | 'Device';

export interface FakeLedgerInstance {
	data: Record<string, unknown>;
	created_at: string;
	updated_at: string;
}

export interface FakeLedger {
	name: string;
	description: string;
	scope: LedgerScopeType;
	/** Downstream: cloud to device; Upstream: device to cloud. */
	direction: 'Upstream' | 'Downstream';
	created_at: string;
	updated_at: string;
	archived_at: string | null;
	/** By scope value. */
	instances: Map<string, FakeLedgerInstance>;
}

/** The ledgers of each owner: `user` for the sandbox, an organization's ID for the organization's. */
export class LedgerStore {
	readonly byOwner = new Map<string, FakeLedger[]>();

	ledgers(owner: string): FakeLedger[] {
		let list = this.byOwner.get(owner);
		if (!list) {
			list = [];
			this.byOwner.set(owner, list);
		}
		return list;
	}
}

const stores = new WeakMap<Fleet, LedgerStore>();

/** The fleet's ledgers, seeded on first use: tests may read and change them. */
export function ledgersOf(fleet: Fleet): LedgerStore {
	let store = stores.get(fleet);
	if (!store) {
		store = seedLedgers(fleet);
		stores.set(fleet, store);
	}
	return store;
}

/** Where a request's ledgers live and which scope values it may use. */
interface LedgerNamespace {
	owner: string;
	ownerId: string;
	/** Set on the product routes: instances are limited to this product's. */
	product?: FakeProduct;
}

function ownerProducts(fleet: Fleet, namespace: LedgerNamespace): FakeProduct[] {
	if (namespace.product) return [namespace.product];
	return fleet.products.filter((product) => (product.orgId ?? 'user') === namespace.owner);
}

/** The scope value's display name, or undefined when the value names nothing this namespace has. */
function scopeName(fleet: Fleet, namespace: LedgerNamespace, scope: LedgerScopeType, value: string): string | undefined {
	if (scope === 'Owner') return value === namespace.ownerId ? (namespace.owner === 'user' ? fleet.user.username : fleet.findOrganization(value)?.name) : undefined;
	const products = ownerProducts(fleet, namespace);
	if (scope === 'Product') return products.find((product) => String(product.id) === value)?.name;
	const device = fleet.devices.get(value.toLowerCase());
	return device && products.some((product) => product.id === device.product_id) ? device.name : undefined;
}

function definitionJson(ledger: FakeLedger): Record<string, unknown> {
	const { name, description, scope, direction, created_at, updated_at, archived_at } = ledger;
	return { scope, name, description, direction, updated_at, created_at, archived_at };
}

function instanceJson(fleet: Fleet, namespace: LedgerNamespace, ledger: FakeLedger, value: string, instance: FakeLedgerInstance): Record<string, unknown> {
	const name = scopeName(fleet, namespace, ledger.scope, value);
	return {
		name: ledger.name,
		scope: { type: ledger.scope, value, ...(name === undefined ? {} : { name }) },
		size_bytes: Buffer.byteLength(JSON.stringify(instance.data)),
		data: instance.data,
		updated_at: instance.updated_at,
		created_at: instance.created_at,
	};
}

/** `page` and `perPage` (particle-api-js sends `per_page`); the reference's examples answer 100 per page. */
function pageOfLedger<T>(ctx: RequestContext, all: readonly T[]): { items: T[]; meta: Record<string, number> } {
	const page = positiveInt(ctx, 'page') ?? 1;
	const perPage = Math.min(positiveInt(ctx, 'perPage') ?? positiveInt(ctx, 'per_page') ?? 100, 100);
	return {
		items: all.slice((page - 1) * perPage, page * perPage),
		meta: { page, per_page: perPage, total_pages: Math.max(1, Math.ceil(all.length / perPage)), total: all.length },
	};
}

function findLedger(ctx: RequestContext, namespace: LedgerNamespace): FakeLedger {
	const ledger = ledgersOf(ctx.fleet).ledgers(namespace.owner).find((candidate) => candidate.name === ctx.params.ledger);
	if (!ledger) throw notFound('Ledger not found'); // (text unconfirmed)
	return ledger;
}

/** The instance's scope value, checked against what the namespace has (a device of another owner is not found). */
function scopeValue(ctx: RequestContext, namespace: LedgerNamespace, ledger: FakeLedger): string {
	const value = ledger.scope === 'Device' ? ctx.params.scopeValue.toLowerCase() : ctx.params.scopeValue;
	if (scopeName(ctx.fleet, namespace, ledger.scope, value) === undefined) throw notFound(`${ledger.scope} ${ctx.params.scopeValue} not found`); // (text unconfirmed)
	return value;
}

/** The instances of a ledger that the namespace may see. */
function visibleInstances(ctx: RequestContext, namespace: LedgerNamespace, ledger: FakeLedger): Array<[string, FakeLedgerInstance]> {
	return [...ledger.instances].filter(([value]) => scopeName(ctx.fleet, namespace, ledger.scope, value) !== undefined);
}

/**
 * The new data: the reference's body field is `data` ("Ledger instance data"); particle-api-js, Particle's client,
 * sends `{ instance: { data } }`. Either is taken. It must be a JSON object.
 */
function dataOf(ctx: RequestContext): Record<string, unknown> {
	const fields = bodyFields(ctx);
	const instance = fields.instance;
	const data = typeof instance === 'object' && instance !== null && !Array.isArray(instance) ? (instance as Record<string, unknown>).data : fields.data;
	if (typeof data !== 'object' || data === null || Array.isArray(data)) throw badRequest('data must be a JSON object'); // (text unconfirmed)
	return data as Record<string, unknown>;
}

type LedgerHandler = (ctx: RequestContext, namespace: LedgerNamespace) => Reply;

const handlers: Array<{ method: string; suffix: string; scope: string; handle: LedgerHandler }> = [
	{
		method: 'GET',
		suffix: '',
		scope: 'ledger.definitions:list',
		handle: (ctx, namespace) => {
			const archived = queryValue(ctx, 'archived');
			const wanted = archived === undefined ? undefined : toBoolean(archived, 'archived');
			const all = ledgersOf(ctx.fleet)
				.ledgers(namespace.owner)
				.filter((ledger) => wanted === undefined || (ledger.archived_at !== null) === wanted);
			const { items, meta } = pageOfLedger(ctx, all);
			return ok({ ledgers: items.map(definitionJson), meta });
		},
	},
	{
		method: 'GET',
		suffix: '/:ledger',
		scope: 'ledger.definitions:get',
		handle: (ctx, namespace) => ok({ ledger: definitionJson(findLedger(ctx, namespace)) }),
	},
	{
		method: 'GET',
		suffix: '/:ledger/instances',
		scope: 'ledger.instances:list',
		handle: (ctx, namespace) => {
			const ledger = findLedger(ctx, namespace);
			const { items, meta } = pageOfLedger(ctx, visibleInstances(ctx, namespace, ledger));
			return ok({ instances: items.map(([value, instance]) => instanceJson(ctx.fleet, namespace, ledger, value, instance)), meta });
		},
	},
	{
		method: 'GET',
		suffix: '/:ledger/instances/:scopeValue',
		scope: 'ledger.instances:get',
		handle: (ctx, namespace) => {
			const ledger = findLedger(ctx, namespace);
			const value = scopeValue(ctx, namespace, ledger);
			const instance = ledger.instances.get(value);
			if (!instance) throw notFound('Ledger instance not found'); // (text unconfirmed)
			return ok({ instance: instanceJson(ctx.fleet, namespace, ledger, value, instance) });
		},
	},
	{
		method: 'PUT',
		suffix: '/:ledger/instances/:scopeValue',
		scope: 'ledger.instances:set',
		handle: (ctx, namespace) => {
			const ledger = findLedger(ctx, namespace);
			const value = scopeValue(ctx, namespace, ledger);
			const data = dataOf(ctx);
			// particle-api-js's `set_mode`: Replace (its default) or Merge; not in the reference.
			const mode = queryValue(ctx, 'set_mode') ?? 'Replace';
			if (mode !== 'Replace' && mode !== 'Merge') throw badRequest('set_mode must be Replace or Merge'); // (text unconfirmed)
			const now = new Date(ctx.now()).toISOString();
			const existing = ledger.instances.get(value);
			const instance: FakeLedgerInstance = {
				data: mode === 'Merge' && existing ? { ...existing.data, ...data } : data,
				created_at: existing?.created_at ?? now,
				updated_at: now,
			};
			ledger.instances.set(value, instance);
			// The reference's example answers 201 Created.
			return ok({ instance: instanceJson(ctx.fleet, namespace, ledger, value, instance) }, 201);
		},
	},
	{
		method: 'DELETE',
		suffix: '/:ledger/instances/:scopeValue',
		scope: 'ledger.instances:remove',
		handle: (ctx, namespace) => {
			const ledger = findLedger(ctx, namespace);
			const value = scopeValue(ctx, namespace, ledger);
			if (!ledger.instances.delete(value)) throw notFound('Ledger instance not found'); // (text unconfirmed)
			return { status: 204 };
		},
	},
];

function sandboxNamespace(ctx: RequestContext, who: TokenRecord, scope: string): LedgerNamespace {
	requireUser(who, scope);
	return { owner: 'user', ownerId: ctx.fleet.user.id };
}

function productNamespace(ctx: RequestContext, who: TokenRecord, scope: string): LedgerNamespace {
	const product = accessibleProduct(ctx, who, ctx.params.product, scope);
	const owner = product.orgId ?? 'user';
	return { owner, ownerId: product.orgId ?? ctx.fleet.user.id, product };
}

function orgNamespace(ctx: RequestContext, who: TokenRecord, scope: string): LedgerNamespace {
	const org = accessibleOrg(ctx, who, ctx.params.org, scope);
	return { owner: org.id, ownerId: org.id };
}

const namespaces: Array<[string, (ctx: RequestContext, who: TokenRecord, scope: string) => LedgerNamespace]> = [
	['/v1/ledgers', sandboxNamespace],
	['/v1/products/:product/ledgers', productNamespace],
	['/v1/orgs/:org/ledgers', orgNamespace],
];

export const ledgerRoutes: Route[] = namespaces.flatMap(([base, namespaceOf]) =>
	handlers.map(({ method, suffix, scope, handle }) => authed(method, `${base}${suffix}`, (ctx, who) => handle(ctx, namespaceOf(ctx, who, scope)))),
);

/**
 * The seeded ledgers, made from the fleet so they name its own devices and products: in the sandbox a device
 * configuration (Downstream, Device), product defaults (Downstream, Product), owner settings (Downstream, Owner) and
 * device readings (Upstream, Device); one owner ledger for each organization.
 */
function seedLedgers(fleet: Fleet): LedgerStore {
	const store = new LedgerStore();
	const at = new Date(fleet.clock.now() - 86_400_000).toISOString();
	const ledger = (name: string, scope: LedgerScopeType, direction: FakeLedger['direction'], description: string): FakeLedger => ({
		name,
		description,
		scope,
		direction,
		created_at: at,
		updated_at: at,
		archived_at: null,
		instances: new Map(),
	});
	const instance = (data: Record<string, unknown>): FakeLedgerInstance => ({ data, created_at: at, updated_at: at });
	const userProducts = fleet.products.filter((product) => product.orgId === null);
	const userDevices = userProducts.flatMap((product) => fleet.productDevices(product.id));

	const deviceConfig = ledger('device-config', 'Device', 'Downstream', 'Per-device settings pushed to the device');
	for (const device of userDevices.slice(0, 2)) deviceConfig.instances.set(device.id, instance({ reporting_interval_s: 300, led: 'on' }));
	const defaults = ledger('fleet-defaults', 'Product', 'Downstream', 'Product-wide defaults');
	for (const product of userProducts.slice(0, 1)) defaults.instances.set(String(product.id), instance({ temp: { min: 20, max: 30 }, hum: { min: 10, max: 80 } }));
	const settings = ledger('owner-settings', 'Owner', 'Downstream', 'Settings of the account');
	settings.instances.set(fleet.user.id, instance({ alert_email: fleet.user.username }));
	const readings = ledger('sensor-readings', 'Device', 'Upstream', 'Readings the devices report');
	userDevices.slice(0, 3).forEach((device, index) => readings.instances.set(device.id, instance({ temp: 21.5 + index, hum: 40 + index, time: at })));
	const archived = { ...ledger('old-config', 'Device', 'Downstream', 'Replaced by device-config'), archived_at: at };
	store.ledgers('user').push(deviceConfig, defaults, settings, readings, archived);

	for (const org of fleet.organizations) {
		const orgSettings = ledger('org-settings', 'Owner', 'Downstream', 'Settings of the organization');
		orgSettings.instances.set(org.id, instance({ timezone: 'UTC' }));
		store.ledgers(org.id).push(orgSettings);
	}
	return store;
}

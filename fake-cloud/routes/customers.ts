// Reference: Cloud API > Customers (Create a customer - Client Credentials / - Access Token, List Customers for a Product, Update customer password, Delete a customer)
/**
 * Product customers: create with the product's OAuth client (two-legged, shadow customers with `no_password`) or with
 * the token of a user of the product, list, change a password, delete (which revokes the customer's tokens and claim
 * codes and releases its devices).
 */
import { randomBytes } from 'node:crypto';
import { accessibleProduct } from '../access';
import { badRequest, invalidToken, notFound, oauthError, permissionDenied, productNotFound } from '../errors';
import { bodyFields, optionalField, toBoolean, toText } from '../fields';
import type { FakeCustomer, FakeProduct } from '../fleet';
import { ok, type Reply } from '../http';
import { authed, open, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';
import { authenticateClient } from './auth';

/**
 * The list takes no documented query parameter, yet its example answers `"meta": { "total_pages": 4 }`. So the fake
 * ignores `page` and `per_page`, answers the whole list every time, and reports pages of this size (unconfirmed):
 * a client that pages on `total_pages` gets the same customers again.
 */
const LISTED_PAGE_SIZE = 25;

export const customerRoutes: Route[] = [
	open('POST', '/v1/products/:product/customers', createCustomer),
	authed('GET', '/v1/products/:product/customers', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'customers:list');
		const devices = ctx.fleet.productDevices(product.id).filter((d) => d.owner !== null && product.customers.some((c) => c.username === d.owner));
		return ok({
			customers: product.customers.map((c) => ({
				id: c.id,
				username: c.username,
				devices: devices.filter((d) => d.owner === c.username).map((d) => d.id),
			})),
			devices: devices.map((d) => ({
				id: d.id,
				product_id: d.product_id,
				last_ip_address: d.last_ip_address,
				firmware_version: d.firmware_version,
				online: d.online,
			})),
			meta: { total_pages: Math.max(1, Math.ceil(product.customers.length / LISTED_PAGE_SIZE)) },
		});
	}),
	authed('PUT', '/v1/products/:product/customers/:customer', (ctx, who) => {
		const customer = existingCustomer(ctx, who, 'customers:update');
		const password = optionalField(ctx, 'password', toText) ?? '';
		if (password.length < 8) throw badRequest('password must be at least 8 characters'); // (rule unconfirmed)
		customer.password = password;
		return ok({ ok: true });
	}),
	authed('DELETE', '/v1/products/:product/customers/:customer', (ctx, who) => {
		const customer = existingCustomer(ctx, who, 'customers:remove');
		ctx.fleet.removeCustomer(customer);
		ctx.tokens.revokeCustomer(customer.productId, customer.username);
		return ok({ ok: true });
	}),
];

function existingCustomer(ctx: RequestContext, who: TokenRecord, scope: string): FakeCustomer {
	const product = accessibleProduct(ctx, who, ctx.params.product, scope);
	const customer = product.customers.find((c) => c.username === ctx.params.customer);
	if (!customer) throw notFound('Customer not found');
	return customer;
}

/**
 * Two documented forms. "Client Credentials": "You must give a valid product OAuth client ID and secret in HTTP Basic
 * Auth or in the `client_id` and `client_secret` parameters", `password` optional with `no_password`. "Access
 * Token": "An access token of a user that belongs to the product is required", with `email` and `password` only.
 * A Bearer header picks the second form, so a product token or a customer token sent as Bearer is refused there.
 */
function createCustomer(ctx: RequestContext): Reply {
	const product = ctx.fleet.findProduct(ctx.params.product);
	if (!product) throw productNotFound();
	const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.headers.authorization ?? '')?.[1];
	const email = optionalField(ctx, 'email', toText)?.trim() ?? '';
	const password = optionalField(ctx, 'password', toText);
	const noPassword = optionalField(ctx, 'no_password', toBoolean) ?? false;

	let client: string;
	if (bearer !== undefined) {
		const who = ctx.tokens.resolve(bearer, ctx.now());
		if (!who) throw invalidToken();
		// Every user of the fake administers every product; no other kind of token is "a user that belongs to the product".
		if (who.kind !== 'user') throw permissionDenied();
		if (noPassword) throw badRequest('no_password is only for customers created with the product OAuth client'); // (text unconfirmed)
		if (!password) throw badRequest('password is required'); // (text unconfirmed)
		client = who.client;
	} else {
		const found = authenticateClient(ctx, bodyFields(ctx) as Record<string, string>);
		if (found.productId !== product.id) throw permissionDenied();
		if (!noPassword && !password) throw oauthError(400, 'invalid_request', 'password is required unless no_password is true');
		client = found.id;
	}
	if (email === '') throw badRequest('email is required');
	if (product.customers.some((c) => c.username === email)) throw badRequest('Customer already exists');
	return created(ctx, product, email, password, client);
}

/** The reference's example answers 201 with the new customer's token. */
function created(ctx: RequestContext, product: FakeProduct, email: string, password: string | undefined, client: string): Reply {
	product.customers.push({ id: randomBytes(12).toString('hex'), username: email, productId: product.id, ...(password ? { password } : {}) });
	const lifetimeSeconds = ctx.tokenLifetimeSeconds;
	const { accessToken, refreshToken } = ctx.tokens.mint(
		{ kind: 'customer', scopes: [], productId: product.id, customer: email, client, lifetimeSeconds },
		ctx.now(),
	);
	return ok({ token_type: 'bearer', access_token: accessToken, expires_in: lifetimeSeconds, refresh_token: refreshToken }, 201);
}

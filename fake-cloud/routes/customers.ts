/**
 * Product customers: create with the product's OAuth client (two-legged, shadow customers with `no_password`), list,
 * change a password, delete (which revokes the customer's tokens and claim codes and releases its devices).
 */
import { randomBytes } from 'node:crypto';
import { accessibleProduct } from '../access';
import { badRequest, notFound, oauthError, permissionDenied, productNotFound } from '../errors';
import { bodyFields, optionalField, toBoolean, toText } from '../fields';
import type { FakeCustomer } from '../fleet';
import { ok, type Reply } from '../http';
import { pageOf } from '../paging';
import { authed, open, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';
import { authenticateClient } from './auth';

export const customerRoutes: Route[] = [
	open('POST', '/v1/products/:product/customers', createCustomer),
	authed('GET', '/v1/products/:product/customers', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'customers:list');
		const { items, meta } = pageOf(ctx, product.customers);
		const devicesOf = (email: string) => ctx.fleet.productDevices(product.id).filter((d) => d.owner === email).map((d) => d.id);
		return ok({ customers: items.map((c) => ({ id: c.id, username: c.username, devices: devicesOf(c.username) })), meta });
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

function createCustomer(ctx: RequestContext): Reply {
	const product = ctx.fleet.findProduct(ctx.params.product);
	if (!product) throw productNotFound();
	const form = bodyFields(ctx) as Record<string, string>;
	const client = authenticateClient(ctx, form);
	if (client.productId !== product.id) throw permissionDenied();
	const email = optionalField(ctx, 'email', toText)?.trim() ?? '';
	if (email === '') throw badRequest('email is required');
	if (product.customers.some((c) => c.username === email)) throw badRequest('Customer already exists');
	const password = optionalField(ctx, 'password', toText);
	const noPassword = optionalField(ctx, 'no_password', toBoolean) ?? false;
	if (!noPassword && (password === undefined || password === '')) {
		throw oauthError(400, 'invalid_request', 'password is required unless no_password is true');
	}
	product.customers.push({ id: randomBytes(12).toString('hex'), username: email, productId: product.id, ...(password ? { password } : {}) });
	const lifetimeSeconds = ctx.tokenLifetimeSeconds;
	const { accessToken, refreshToken } = ctx.tokens.mint(
		{ kind: 'customer', scopes: [], productId: product.id, customer: email, client: client.id, lifetimeSeconds },
		ctx.now(),
	);
	return ok({ token_type: 'bearer', access_token: accessToken, expires_in: lifetimeSeconds, refresh_token: refreshToken });
}

/**
 * Every URL path the nodes send is built here. Each caller-supplied value becomes exactly one encoded path segment,
 * so a device name such as `../x?y#z` can never change the route.
 */

/** Where devices live: the user's sandbox, or a product (by numeric ID or slug). */
export type DeviceScope = { kind: 'sandbox' } | { kind: 'product'; product: string };

export class PathSegmentError extends Error {
	constructor(
		readonly field: string,
		reason: string,
	) {
		super(`${field} ${reason}`);
		this.name = 'PathSegmentError';
	}
}

/** Encodes one value as one path segment, refusing values that URL parsers would collapse or drop. */
export function segment(value: string | number, field: string): string {
	const text = String(value).trim();
	if (text === '') throw new PathSegmentError(field, 'is empty');
	// WHATWG URL parsing turns "." and ".." (even percent-encoded) into directory moves.
	if (text === '.' || text === '..') throw new PathSegmentError(field, `cannot be "${text}"`);
	// A lone UTF-16 surrogate cannot be percent-encoded: encodeURIComponent would throw a bare "URI malformed".
	if (LONE_SURROGATE.test(text)) throw new PathSegmentError(field, 'contains a broken Unicode character (a lone surrogate)');
	return encodeURIComponent(text);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function join(parts: string[]): string {
	return '/' + parts.join('/');
}

/** `/v1/devices/...` for the sandbox, `/v1/products/:product/devices/...` for a product. */
export function devicesPath(scope: DeviceScope, ...rest: string[]): string {
	const base =
		scope.kind === 'product'
			? ['v1', 'products', segment(scope.product, 'Product'), 'devices']
			: ['v1', 'devices'];
	return join([...base, ...rest]);
}

/** A path under one device, for example `devicePath(scope, id, segment(varName, 'Variable'))`. */
export function devicePath(scope: DeviceScope, device: string, ...rest: string[]): string {
	return devicesPath(scope, segment(device, 'Device'), ...rest);
}

/** `/v1/products/:product/...` */
export function productPath(product: string, ...rest: string[]): string {
	return join(['v1', 'products', segment(product, 'Product'), ...rest]);
}

/** `/v1/...` from fixed, already safe parts (literals in the code, or segments made with `segment`). */
export function v1Path(...parts: string[]): string {
	return join(['v1', ...parts]);
}

/** Token endpoint: the one route outside `/v1`. */
export const OAUTH_TOKEN_PATH = '/oauth/token';

/** `/v1/diagnostics/:device/...` for the sandbox, `/v1/products/:product/diagnostics/:device/...` for a product. */
export function vitalsPath(scope: DeviceScope, device: string, ...rest: string[]): string {
	const base = scope.kind === 'product' ? ['v1', 'products', segment(scope.product, 'Product')] : ['v1'];
	return join([...base, 'diagnostics', segment(device, 'Device'), ...rest]);
}

/**
 * Route table and request context. Routes match the RAW path segments: literals must match exactly as sent,
 * parameters take one raw segment and are decoded once, so "%2F" inside a name can never become a separator.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from './errors';
import type { Fleet } from './fleet';
import { decodeSegment, type ParsedBody, type Reply } from './http';
import type { TokenRecord, TokenStore } from './tokens';

export interface RequestContext {
	readonly params: Record<string, string>;
	readonly query: Record<string, string | string[]>;
	readonly body: ParsedBody;
	readonly headers: IncomingHttpHeaders;
	readonly fleet: Fleet;
	readonly tokens: TokenStore;
	readonly tokenLifetimeSeconds: number;
	now(): number;
	/** Resolves after `ms`; rejects when the cloud closes. */
	sleep(ms: number): Promise<void>;
}

export type Handler = (ctx: RequestContext, who: TokenRecord) => Reply | Promise<Reply>;
export type OpenHandler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
	method: string;
	pattern: string[];
	/** Open routes (only /oauth/token) skip the bearer-token check. */
	open: boolean;
	handler: (ctx: RequestContext, who: TokenRecord | undefined) => Reply | Promise<Reply>;
}

/** A route that needs a valid access token; `who` is its record. */
export function authed(method: string, path: string, handler: Handler): Route {
	return {
		method,
		pattern: path.split('/').slice(1),
		open: false,
		handler: (ctx, who) => {
			if (!who) throw new Error('fake cloud: authed route reached without a token');
			return handler(ctx, who);
		},
	};
}

export function open(method: string, path: string, handler: OpenHandler): Route {
	return { method, pattern: path.split('/').slice(1), open: true, handler: (ctx) => handler(ctx) };
}

export interface RouteMatch {
	route: Route;
	params: Record<string, string>;
}

/** First route whose method and segments match; unknown methods simply find nothing (the fake answers 404). */
export function matchRoute(routes: readonly Route[], method: string, rawSegments: readonly string[]): RouteMatch | undefined {
	for (const route of routes) {
		if (route.method !== method || route.pattern.length !== rawSegments.length) continue;
		const raw: Record<string, string> = {};
		const fits = route.pattern.every((part, i) => {
			if (!part.startsWith(':')) return part === rawSegments[i];
			raw[part.slice(1)] = rawSegments[i];
			return rawSegments[i] !== '';
		});
		if (fits) return { route, params: decodeParams(raw) };
	}
	return undefined;
}

function decodeParams(raw: Record<string, string>): Record<string, string> {
	const params: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw)) {
		const decoded = decodeSegment(value);
		// Express answers 400 for a malformed escape in a parameter; so do we (text unconfirmed).
		if (decoded === undefined) throw badRequest('Malformed URL');
		params[name] = decoded;
	}
	return params;
}

/**
 * THE door to the Particle Cloud: every request of every node goes through `request()` and `requestAllPages()`,
 * over n8n's `httpRequestWithAuthentication` with the `particleApi` credential (so proxies, the credential's token
 * exchange and its refresh after a 401 work as n8n users expect). Here, and only here: base URL, back-off,
 * and the mapping of failures to n8n errors.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
	ITriggerFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { decideRetry, isRateLimitStatus, parseRetryAfter } from './backoff';
import { describeFailure, type ParticleFailure } from './errors';

export const CREDENTIAL_NAME = 'particleApi';
/** The cloud answers a device call with 408 itself after its own timeout; this only guards against a hung socket. */
const REQUEST_TIMEOUT_MS = 60_000;
/** Largest page size used for product lists (Particle documents no maximum; 100 is what it has been seen to honour). */
export const MAX_PAGE_SIZE = 100;
/** Hard stop for page loops, in case a server's `meta` never ends. */
const MAX_PAGES = 10_000;

export type ParticleContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| ITriggerFunctions
	| IHookFunctions;

/**
 * One back-off shared by requests in flight together: when the cloud answers 429 to one of them, none of the
 * others is sent until the wait is over.
 */
export class RateLimitGate {
	private resumeAt = 0;

	pauseFor(waitMs: number): void {
		this.resumeAt = Math.max(this.resumeAt, Date.now() + waitMs);
	}

	async whenOpen(): Promise<void> {
		// Another request may extend the pause while this one sleeps, hence the loop.
		for (let remaining = this.resumeAt - Date.now(); remaining > 0; remaining = this.resumeAt - Date.now()) {
			await sleep(remaining);
		}
	}
}

export interface ParticleRequest {
	method: IHttpRequestMethods;
	/** Built with paths.ts; starts with `/v1/`. */
	path: string;
	query?: IDataObject;
	/** Sent as JSON. */
	body?: IDataObject;
	/** Sent form-encoded instead of `body`, for the endpoints (and users) that prefer it. */
	form?: Record<string, string>;
	/** Extra headers such as `Accept`; never a token (the credential adds it). */
	headers?: IDataObject;
	itemIndex?: number;
	gate?: RateLimitGate;
	/**
	 * Send as this bearer token instead of the credential's: only for a customer token that the same operation
	 * has just minted (Particle creates customer claim codes for the customer's own token).
	 */
	asToken?: string;
	/** Ask for the raw text of the answer (CSV), not JSON. */
	text?: boolean;
}

interface ResponseLike {
	status?: number;
	headers?: Record<string, unknown>;
	data?: unknown;
}

interface ErrorLike {
	code?: unknown;
	httpCode?: unknown;
	response?: ResponseLike;
	cause?: unknown;
	message?: unknown;
}

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

const baseUrlByContext = new WeakMap<object, string>();

async function baseUrlOf(context: ParticleContext, itemIndex?: number): Promise<string> {
	const cached = baseUrlByContext.get(context);
	if (cached !== undefined) return cached;
	const credentials = await context.getCredentials<{ baseUrl?: string }>(CREDENTIAL_NAME, itemIndex);
	const baseUrl = String(credentials.baseUrl || 'https://api.particle.io').replace(/\/+$/, '');
	baseUrlByContext.set(context, baseUrl);
	return baseUrl;
}

/** The full URL of a Particle path, for the one caller that cannot use `request()`: the event stream. */
export async function particleUrl(context: ParticleContext, path: string): Promise<string> {
	return `${await baseUrlOf(context)}${path}`;
}

function parseBody(data: unknown): unknown {
	if (typeof data !== 'string') return data;
	try {
		return JSON.parse(data) as unknown;
	} catch {
		return data;
	}
}

/** Finds the HTTP answer (or the network error code) inside whatever n8n's request helper threw. */
export function failureOf(error: unknown, method: string, retries: number): ParticleFailure & { retryAfter?: string } {
	const chain: ErrorLike[] = [];
	for (let current = error as ErrorLike | undefined; current && chain.length < 5; current = current.cause as ErrorLike) {
		chain.push(current);
	}
	const answered = chain.find((link) => typeof link.response?.status === 'number');
	if (answered?.response) {
		const retryAfter = answered.response.headers?.['retry-after'];
		return {
			method,
			retries,
			status: answered.response.status,
			body: parseBody(answered.response.data),
			retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
		};
	}
	const networkCode = chain.map((link) => link.code).find((code): code is string => typeof code === 'string' && NETWORK_CODES.has(code));
	if (networkCode) return { method, retries, networkCode };
	const httpCode = chain.map((link) => Number(link.httpCode)).find((code) => Number.isInteger(code) && code >= 400);
	if (httpCode) return { method, retries, status: httpCode };
	// Neither an answer nor a socket error: a failure before sending, such as the credential's token exchange.
	// The deepest message is the original one; wrappers may have replaced theirs with a generic text.
	const message = [...chain].reverse().map((link) => link.message).find((text): text is string => typeof text === 'string' && text !== '');
	return { method, retries, localError: message ?? 'The request could not be sent' };
}

/** An n8n error that says what happened and what to do; built from plain data so no request detail rides along. */
export function toNodeApiError(node: INode, failure: ParticleFailure, itemIndex?: number): NodeApiError {
	const text = describeFailure(failure);
	const errorResponse: JsonObject = { status: failure.status ?? null, message: text.message };
	const retryAfterMs = isRateLimitStatus(failure.status)
		? parseRetryAfter((failure as { retryAfter?: string }).retryAfter)
		: undefined;
	const error = new NodeApiError(node, errorResponse, {
		message: text.message,
		description: text.description,
		httpCode: failure.status !== undefined ? String(failure.status) : undefined,
		itemIndex,
		failure:
			text.cause === 'rate-limited' || text.cause === 'temporarily-unavailable'
				? { cause: text.cause, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }
				: text.cause
					? { cause: text.cause }
					: undefined,
	});
	// n8n swaps a message that names a socket code (ECONNRESET...) for its own "You can retry the request
	// immediately", which is wrong for a write the device may already have run: keep ours.
	error.message = text.message;
	return error;
}

async function sendOnce(context: ParticleContext, options: IHttpRequestOptions, asToken?: string): Promise<unknown> {
	if (asToken !== undefined) {
		return await context.helpers.httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${asToken}` },
		});
	}
	return await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_NAME, options);
}

interface ProductClientCredentials {
	authMode?: string;
	clientId?: string;
	clientSecret?: string;
}

/**
 * The product OAuth client's ID and secret, as form fields, for the endpoints that want the client itself (creating a
 * customer, minting a customer token). They go only into the body of a request to the Particle Cloud.
 */
export async function productClientFields(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<{ client_id: string; client_secret: string }> {
	const credentials = await context.getCredentials<ProductClientCredentials>(CREDENTIAL_NAME, itemIndex);
	if (credentials.authMode !== 'oauthClient' || !credentials.clientId || !credentials.clientSecret) {
		throw new NodeOperationError(context.getNode(), 'This operation needs a product OAuth client', {
			itemIndex,
			description:
				'Particle creates customers and customer tokens only with the OAuth client of the product. Use a Particle API credential set to "Product OAuth Client" on this node.',
		});
	}
	return { client_id: credentials.clientId, client_secret: credentials.clientSecret };
}

/** Sends one request to the Particle Cloud, waiting out rate limits and retrying reads on transient failures. */
export async function request<T = IDataObject>(context: ParticleContext, spec: ParticleRequest): Promise<T> {
	const baseUrl = await baseUrlOf(context, spec.itemIndex);
	const options: IHttpRequestOptions = {
		method: spec.method,
		url: `${baseUrl}${spec.path}`,
		headers: { Accept: spec.text ? 'text/csv, text/plain' : 'application/json', ...spec.headers },
		timeout: REQUEST_TIMEOUT_MS,
		...(spec.text ? { encoding: 'text' as const, json: false } : { json: true }),
	};
	if (spec.query && Object.keys(spec.query).length > 0) options.qs = spec.query;
	if (spec.form !== undefined) {
		options.body = new URLSearchParams(spec.form).toString();
		options.headers = { ...options.headers, 'Content-Type': 'application/x-www-form-urlencoded' };
	} else if (spec.body !== undefined) {
		options.body = spec.body;
	}

	for (let retries = 0; ; retries++) {
		await spec.gate?.whenOpen();
		let response: unknown;
		try {
			response = await sendOnce(context, { ...options, headers: { ...options.headers } }, spec.asToken);
		} catch (error) {
			const failure = failureOf(error, spec.method, retries);
			const decision = decideRetry({
				method: spec.method,
				status: failure.status,
				networkError: failure.networkCode !== undefined,
				retriesSoFar: retries,
				retryAfter: failure.retryAfter,
			});
			if (!decision.retry) throw toNodeApiError(context.getNode(), failure, spec.itemIndex);
			if (isRateLimitStatus(failure.status)) spec.gate?.pauseFor(decision.waitMs);
			await sleep(decision.waitMs);
			continue;
		}
		// 204 No Content and empty bodies come back as '' or undefined.
		if (response === '' || response === undefined) return {} as T;
		// A JSON request answered with text that does not parse (a cut or garbled body): fail clearly rather than
		// hand the operation a string to pick fields from. Not sent again: a write may already have acted.
		if (!spec.text && typeof response === 'string') {
			throw toNodeApiError(
				context.getNode(),
				{ method: spec.method, retries, status: 200, body: { error: 'The answer is not valid JSON' } },
				spec.itemIndex,
			);
		}
		return response as T;
	}
}

export interface PageOptions {
	/** The key of the array in each page, for example `devices`. */
	itemsKey: string;
	/** Stop after this many items (undefined: all). Only the pages needed are fetched. */
	limit?: number;
}

interface PagedResponse {
	meta?: { total_pages?: number };
	[key: string]: unknown;
}

/** Reads a paged product list (`page`, `per_page`, `meta.total_pages`), all of it or up to `limit` items. */
export async function requestAllPages<T = IDataObject>(
	context: ParticleContext,
	spec: ParticleRequest,
	{ itemsKey, limit }: PageOptions,
): Promise<T[]> {
	const perPage = limit !== undefined ? Math.max(1, Math.min(limit, MAX_PAGE_SIZE)) : MAX_PAGE_SIZE;
	const collected: T[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const response = await request<PagedResponse>(context, {
			...spec,
			query: { ...spec.query, page, per_page: perPage },
		});
		const items = response[itemsKey];
		if (!Array.isArray(items)) {
			throw toNodeApiError(
				context.getNode(),
				{ method: spec.method, retries: 0, status: 200, body: { error: `The answer has no "${itemsKey}" list` } },
				spec.itemIndex,
			);
		}
		collected.push(...(items as T[]));
		if (limit !== undefined && collected.length >= limit) return collected.slice(0, limit);
		const totalPages = Number(response.meta?.total_pages ?? page);
		if (page >= totalPages || items.length === 0) break;
	}
	return collected;
}

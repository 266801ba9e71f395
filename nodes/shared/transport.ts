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
import { baseUrlProblem, resolveBaseUrl } from './baseUrl';
import { describeFailure, type ParticleFailure } from './errors';
import { OAUTH_TOKEN_PATH } from './paths';

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
	name?: unknown;
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

/** The credential's Base URL (see baseUrl.ts), read once per context. */
export async function baseUrlOf(context: ParticleContext, itemIndex?: number): Promise<string> {
	const cached = baseUrlByContext.get(context);
	if (cached !== undefined) return cached;
	const credentials = await context.getCredentials<{ baseUrl?: string }>(CREDENTIAL_NAME, itemIndex);
	const problem = baseUrlProblem(credentials.baseUrl);
	if (problem !== undefined) {
		throw new NodeOperationError(context.getNode(), `The Base URL of the Particle API credential ${problem}`, {
			itemIndex,
			description: 'Leave the Base URL as https://api.particle.io for Particle\'s cloud.',
		});
	}
	const baseUrl = resolveBaseUrl(credentials.baseUrl);
	baseUrlByContext.set(context, baseUrl);
	return baseUrl;
}

/**
 * The URL of a Particle path, as the URL parser will read it (`%2e` segments are directory moves there). Whatever the
 * path says, the result must stay under the Base URL's `/v1/` (or be the token endpoint): the token goes nowhere else.
 */
export function particleUrl(context: ParticleContext, baseUrl: string, path: string, itemIndex?: number): string {
	const base = new URL(baseUrl);
	const root = base.pathname.replace(/\/+$/, '');
	let target: URL | undefined;
	try {
		target = new URL(`${baseUrl}${path}`);
	} catch {
		target = undefined;
	}
	// The token endpoint only as the literal path the customer operations send, never reached through "..".
	const allowed = path === OAUTH_TOKEN_PATH ? `${root}${OAUTH_TOKEN_PATH}` : undefined;
	const underV1 = target !== undefined && (target.pathname === allowed || target.pathname.startsWith(`${root}/v1/`));
	if (!target || target.origin !== base.origin || !underV1) {
		throw new NodeOperationError(context.getNode(), `Path "${path.slice(0, 100)}" leaves the Particle API (/v1/)`, {
			itemIndex,
			description: 'Requests with the Particle credential go only to paths under /v1/ of its Base URL. Remove ".." or "%2e" segments.',
		});
	}
	return target.href;
}

/**
 * Options every request to the cloud shares: a redirect is never followed, so neither the token nor the product
 * client's secret is sent on to another address (n8n's helpers would otherwise resend the credential).
 */
const NO_REDIRECTS = { disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false } as const;

function parseBody(data: unknown): unknown {
	if (typeof data !== 'string') return data;
	try {
		return JSON.parse(data) as unknown;
	} catch {
		return data;
	}
}

function headerText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	// A header sent twice arrives as a list; joined, it is not one valid value, so the caller's fallback applies.
	if (Array.isArray(value)) return value.join(', ');
	return undefined;
}

function isReadable(value: unknown): boolean {
	return typeof (value as { pipe?: unknown } | null)?.pipe === 'function';
}

/** Where a redirect pointed, as an origin only: its path or query may carry anything. */
function originOfLocation(location: unknown): string | undefined {
	const text = headerText(location);
	if (text === undefined) return undefined;
	try {
		return new URL(text).origin;
	} catch {
		return undefined;
	}
}

/** Finds the HTTP answer (or the network error code) inside whatever n8n's request helper threw. */
export function failureOf(error: unknown, method: string, retries: number): ParticleFailure {
	const chain: ErrorLike[] = [];
	for (let current = error as ErrorLike | undefined; current && chain.length < 5; current = current.cause as ErrorLike) {
		chain.push(current);
	}
	const exchange = chain.find((link) => link.name === 'ParticleTokenExchangeError');
	if (exchange) {
		const status = Number(exchange.httpCode);
		return {
			method,
			retries,
			...(Number.isInteger(status) && status > 0 ? { status } : {}),
			tokenExchange: typeof exchange.message === 'string' ? exchange.message : 'The product OAuth client got no token',
		};
	}
	const answered = chain.find((link) => typeof link.response?.status === 'number');
	if (answered?.response) {
		const headers = answered.response.headers ?? {};
		const retryAfter = headerText(headers['retry-after']);
		const status = answered.response.status;
		return {
			method,
			retries,
			status,
			// A streamed answer's body is a socket, not words to quote.
			body: isReadable(answered.response.data) ? undefined : parseBody(answered.response.data),
			retryAfter,
			...(status !== undefined && status >= 300 && status < 400 ? { redirectOrigin: originOfLocation(headers.location) } : {}),
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
	const retryAfterMs = isRateLimitStatus(failure.status) ? parseRetryAfter(failure.retryAfter) : undefined;
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
		url: particleUrl(context, baseUrl, spec.path, spec.itemIndex),
		headers: { Accept: spec.text ? 'text/csv, text/plain' : 'application/json', ...spec.headers },
		timeout: REQUEST_TIMEOUT_MS,
		...NO_REDIRECTS,
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

/** An open event stream: its body, read as it arrives, and the content type the server declared. */
export interface OpenedStream {
	body: AsyncIterable<Buffer | string> & { destroy?: () => void };
	contentType: string;
}

/**
 * Opens a Server-Sent-Events stream through the same door as every other request: the credential, the Base URL and
 * no redirects. `signal` aborts the open (and the body): the caller bounds how long an open may take.
 */
export async function openStream(context: ITriggerFunctions, path: string, signal: AbortSignal): Promise<OpenedStream> {
	const response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_NAME, {
		method: 'GET',
		url: particleUrl(context, await baseUrlOf(context), path),
		headers: { Accept: 'text/event-stream' },
		encoding: 'stream',
		returnFullResponse: true,
		abortSignal: signal,
		...NO_REDIRECTS,
	})) as { body: OpenedStream['body']; headers?: Record<string, unknown> };
	return { body: response.body, contentType: headerText(response.headers?.['content-type']) ?? '' };
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

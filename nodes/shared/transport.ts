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

import { SIGN_WITH_PRODUCT_CLIENT, SIGN_WITH_PRODUCT_CLIENT_HEADER } from './productClientSigning';
import { decideRetry, isRateLimitStatus, parseRetryAfter, RATE_LIMIT_BUDGET_MS } from './backoff';
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

/** Longest a request waiting at the gate sleeps before it looks again (a probe's answer wakes it sooner). */
const GATE_LOOK_MS = 1000;
/** A bound on one wait's loop; the request's time budget ends it long before. */
const GATE_MAX_LOOKS = 10_000;

/** One request's time held by the rate limit: since when (for its budget and its place in the queue), how often refused. */
export interface RateLimitHold {
	since?: number;
	refusals?: number;
}

/** What the gate let through: settle it with the answer, so a probe opens the gate or keeps it closed. */
export interface GatePass {
	probe: boolean;
}

interface GateWaiter {
	since: number;
	wake?: () => void;
}

/**
 * One back-off shared by the requests of a run. When the cloud answers 429 to one of them, none is sent until the
 * wait is over; then ONE request goes first (the probe, the one held longest), and the others follow only when it is
 * accepted (anything but 429). Reopening for every waiting request at once would send them into the same closed
 * window together, to be refused together.
 */
export class RateLimitGate {
	private resumeAt = 0;
	/** A 429 came back and no request has been accepted since: one at a time. */
	private probing = false;
	private probeOut = false;
	private readonly waiting = new Set<GateWaiter>();

	/** Closes the gate for `waitMs` from now (a 429 and its wait), and makes the next request a probe. */
	pauseFor(waitMs: number): void {
		this.resumeAt = Math.max(this.resumeAt, Date.now() + waitMs);
		this.probing = true;
	}

	/**
	 * Resolves when this request may be sent, with its pass; undefined when it has been held `budgetMs` since
	 * `hold.since` (set here the first time it has to wait, or by its first 429).
	 */
	async enter(hold: RateLimitHold, budgetMs: number): Promise<GatePass | undefined> {
		if (this.waiting.size === 0 && this.mayGo(undefined)) return this.take();
		hold.since ??= Date.now();
		const waiter: GateWaiter = { since: hold.since };
		const until = hold.since + budgetMs;
		this.waiting.add(waiter);
		try {
			for (let look = 0; look < GATE_MAX_LOOKS; look++) {
				if (this.mayGo(waiter)) return this.take();
				const now = Date.now();
				if (now >= until) return undefined;
				const napMs = Math.min(until - now, this.resumeAt > now ? this.resumeAt - now : GATE_LOOK_MS, GATE_LOOK_MS);
				await new Promise<void>((resolve) => {
					waiter.wake = resolve;
					void sleep(napMs).then(resolve);
				});
			}
			return undefined;
		} finally {
			this.waiting.delete(waiter);
		}
	}

	/**
	 * After the answer: a 429 (`refusedForMs`: the wait it asked for, 0 for one longer than n8n waits) closes the gate
	 * and frees the probe's place; anything else from the probe opens the gate for all.
	 */
	settle(pass: GatePass | undefined, refusedForMs?: number): void {
		if (refusedForMs !== undefined) {
			this.pauseFor(refusedForMs);
			if (pass?.probe) this.probeOut = false;
		} else if (pass?.probe) {
			this.probing = false;
			this.probeOut = false;
		} else {
			return;
		}
		for (const waiter of this.waiting) waiter.wake?.();
	}

	private mayGo(waiter: GateWaiter | undefined): boolean {
		if (Date.now() < this.resumeAt) return false;
		if (!this.probing) return true;
		if (this.probeOut || waiter === undefined) return false;
		// The probe is the request held longest (the first of equals).
		for (const other of this.waiting) if (other.since < waiter.since) return false;
		for (const other of this.waiting) if (other.since === waiter.since) return other === waiter;
		return true;
	}

	private take(): GatePass {
		if (!this.probing) return { probe: false };
		this.probeOut = true;
		return { probe: true };
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
	 * Send as this bearer token instead of the credential's: only for a customer token that the same run has
	 * minted (Particle creates a product claim code for the token of the customer who will own the device).
	 */
	asToken?: string;
	/**
	 * Let the credential sign the request with the product OAuth client's ID and secret (HTTP Basic) and no bearer
	 * token: only for creating a customer and minting a customer token, as Particle documents them.
	 */
	withProductClient?: boolean;
	/** Ask for the raw text of the answer (CSV), not JSON. */
	text?: boolean;
	/** Sent as `multipart/form-data` instead of `body` or `form` (a firmware upload): text fields, then files. */
	multipart?: MultipartBody;
}

export interface MultipartFile {
	/** The part's name, for example `file`. */
	name: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface MultipartBody {
	fields: Record<string, string>;
	files: MultipartFile[];
}

/** A header value cannot carry a line break or a quote, which would end the part's header early. */
function headerSafe(text: string): string {
	return text.replace(/["\r\n]/g, '_');
}

/**
 * The bytes of a multipart body (RFC 7578) and its Content-Type. The boundary is drawn until no part contains it, so a
 * binary can never end its own part early; a few draws are plenty for random 32-character boundaries.
 */
export function encodeMultipart({ fields, files }: MultipartBody): { body: Buffer; contentType: string } {
	const contents = [...Object.values(fields).map((value) => Buffer.from(value, 'utf8')), ...files.map((file) => file.data)];
	for (let draw = 0; draw < 8; draw++) {
		const boundary = `----n8nParticle${Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}`;
		if (contents.some((content) => content.includes(boundary))) continue;
		const chunks: Buffer[] = [];
		const part = (headers: string, content: Buffer) => chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`, 'utf8'), content, Buffer.from('\r\n'));
		for (const [name, value] of Object.entries(fields)) part(`Content-Disposition: form-data; name="${headerSafe(name)}"`, Buffer.from(value, 'utf8'));
		for (const file of files) {
			part(
				`Content-Disposition: form-data; name="${headerSafe(file.name)}"; filename="${headerSafe(file.filename)}"\r\nContent-Type: ${headerSafe(file.contentType)}`,
				file.data,
			);
		}
		chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
		return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
	}
	throw new Error('No multipart boundary could be found that the content does not contain');
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

/**
 * Finds the HTTP answer (or the network error code) inside whatever n8n's request helper threw. `path` (no query)
 * lets a 404 say what was looked up.
 */
export function failureOf(error: unknown, method: string, retries: number, path?: string): ParticleFailure {
	const failure = failureWithoutPath(error, method, retries);
	const hint = (error as { particleHint?: unknown } | null)?.particleHint;
	const withHint = typeof hint === 'string' ? { ...failure, hint } : failure;
	return path === undefined ? withHint : { ...withHint, path: path.split('?')[0] };
}

function failureWithoutPath(error: unknown, method: string, retries: number): ParticleFailure {
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

/** The failure each error was built from, for callers that add to it (a device call reads the device afterwards). */
const failureByError = new WeakMap<object, ParticleFailure>();

/** The failure behind an error from `request()`, or undefined for any other error. */
export function failureBehind(error: unknown): ParticleFailure | undefined {
	return typeof error === 'object' && error !== null ? failureByError.get(error) : undefined;
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
	failureByError.set(error, failure);
	return error;
}

/**
 * Said on a 403 to a device read made with a product OAuth client's token (see devicesReadRefusedHint). Meant for the
 * error's description; errors.ts does not add it yet.
 */
export const CUSTOMERS_CREATE_ONLY_HINT =
	'A product OAuth client scoped to customers:create (the Simple Auth client types) gives tokens that cannot read or control devices. Use a two-legged (server) client of the product without a scope, or an API user token with the scopes the workflow needs.';

/** The hint above, for a refused device read with the product client's token; undefined otherwise. */
async function devicesReadRefusedHint(context: ParticleContext, options: IHttpRequestOptions, error: unknown): Promise<string | undefined> {
	const status = failureOf(error, String(options.method ?? 'GET'), 0).status;
	if (status !== 403 || String(options.method ?? 'GET').toUpperCase() !== 'GET' || !/\/devices(\/|$|\?)/.test(String(options.url))) return undefined;
	const credentials = await context.getCredentials<{ authMode?: string }>(CREDENTIAL_NAME).catch(() => undefined);
	return credentials?.authMode === 'oauthClient' ? CUSTOMERS_CREATE_ONLY_HINT : undefined;
}

async function sendOnce(context: ParticleContext, options: IHttpRequestOptions, spec: ParticleRequest): Promise<unknown> {
	if (spec.asToken !== undefined) {
		return await context.helpers.httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${spec.asToken}` },
		});
	}
	if (spec.withProductClient) {
		// The credential sees the marker and signs with the client's ID and secret; this module never reads them.
		return await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_NAME, {
			...options,
			headers: { ...options.headers, [SIGN_WITH_PRODUCT_CLIENT_HEADER]: SIGN_WITH_PRODUCT_CLIENT },
		});
	}
	try {
		return await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_NAME, options);
	} catch (error) {
		const hint = await devicesReadRefusedHint(context, options, error);
		// Passed on as it came (request() reads it), with the hint for the error's description when there is one.
		throw hint !== undefined && error !== null && typeof error === 'object' ? Object.assign(error, { particleHint: hint }) : error;
	}
}

/**
 * Fails before anything is sent when the credential is not a product OAuth client: the operations that need the
 * client itself (creating a customer, minting a customer token) call this first. Reads the mode only, no secret.
 */
export async function requireProductClient(context: IExecuteFunctions, itemIndex: number): Promise<void> {
	const credentials = await context.getCredentials<{ authMode?: string; clientId?: string }>(CREDENTIAL_NAME, itemIndex);
	if (credentials.authMode !== 'oauthClient' || !credentials.clientId) {
		throw new NodeOperationError(context.getNode(), 'This operation needs a product OAuth client', {
			itemIndex,
			description:
				'Particle creates customers and customer tokens only with the OAuth client of the product. Use a Particle API credential set to "Product OAuth Client" on this node. Nothing was sent.',
		});
	}
}

/**
 * The error when a request has waited for the rate limit as long as it may. The words ride in the failure (`hint`), so
 * an operation that rebuilds the error from it (a device call adds the device's state) keeps them: the request was not
 * sent (a 429 is refused before anything runs), so the user knows it is safe to run again.
 */
function rateLimitBudgetError(context: ParticleContext, spec: GatedSpec, last: ParticleFailure | undefined): NodeApiError {
	const minutes = RATE_LIMIT_BUDGET_MS / 60_000;
	const budget = Number.isInteger(minutes) ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${RATE_LIMIT_BUDGET_MS / 1000} s`;
	const safe = 'Nothing ran on the cloud or the device, and it is safe to run again later.';
	const failure: ParticleFailure =
		last !== undefined && isRateLimitStatus(last.status)
			? { ...last, hint: `n8n waited for the rate limit as long as it waits for one request (${budget}), so it was not sent again. A 429 is refused before anything runs: ${safe.charAt(0).toLowerCase()}${safe.slice(1)}` }
			: {
					method: spec.method,
					retries: last?.retries ?? 0,
					path: last?.path,
					status: 429,
					hint: `This request was not sent${last ? ' again' : ''}: it waited at n8n's rate-limit gate, while Particle refused this run's other requests, as long as n8n waits for one request (${budget}). ${safe}`,
				};
	return toNodeApiError(context.getNode(), failure, spec.itemIndex);
}

/** Waits at the run's gate (if any) until the request may go; past its rate-limit budget, the error instead. */
async function enterGate(context: ParticleContext, spec: GatedSpec, hold: RateLimitHold, last: ParticleFailure | undefined): Promise<GatePass | undefined> {
	if (!spec.gate) return undefined;
	const pass = await spec.gate.enter(hold, RATE_LIMIT_BUDGET_MS);
	if (pass === undefined) throw rateLimitBudgetError(context, spec, last);
	return pass;
}

interface GatedSpec {
	method: string;
	itemIndex?: number;
	gate?: RateLimitGate;
}

/**
 * After a failed send: throws the n8n error when it is not to be sent again (a write after a 5xx, 408 or reset; a
 * refusal; a 429 past the request's budget), otherwise waits as long as Particle asked (429) or the back-off says.
 * A 429 closes the run's gate, which then holds this request with the others.
 */
async function waitOrThrow(
	context: ParticleContext,
	failure: ParticleFailure,
	spec: GatedSpec,
	retries: number,
	pass: GatePass | undefined,
	hold: RateLimitHold,
): Promise<void> {
	const rateLimited = isRateLimitStatus(failure.status);
	if (rateLimited) {
		hold.since ??= Date.now();
		hold.refusals = (hold.refusals ?? 0) + 1;
	}
	const decision = decideRetry({
		method: failure.method,
		status: failure.status,
		networkError: failure.networkCode !== undefined,
		retriesSoFar: retries,
		retryAfter: failure.retryAfter,
		rateLimitedForMs: hold.since === undefined ? 0 : Date.now() - hold.since,
	});
	// A 429 closes the gate for its wait, even from a request that gives up (the others still owe it), except a wait
	// longer than n8n waits (each request then hears that itself); anything but a 429 opens the gate.
	const owed = 'waitMs' in decision ? decision.waitMs : 0;
	spec.gate?.settle(pass, rateLimited ? owed : undefined);
	if (!decision.retry) {
		throw 'budgetSpent' in decision ? rateLimitBudgetError(context, spec, failure) : toNodeApiError(context.getNode(), failure, spec.itemIndex);
	}
	// Behind a gate, the gate holds the request until the wait is over (and a probe is accepted).
	if (!(rateLimited && spec.gate)) await sleep(decision.waitMs);
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
	if (spec.multipart !== undefined) {
		const { body, contentType } = encodeMultipart(spec.multipart);
		options.body = body;
		options.headers = { ...options.headers, 'Content-Type': contentType };
	} else if (spec.form !== undefined) {
		options.body = new URLSearchParams(spec.form).toString();
		options.headers = { ...options.headers, 'Content-Type': 'application/x-www-form-urlencoded' };
	} else if (spec.body !== undefined) {
		options.body = spec.body;
	}

	const hold: RateLimitHold = {};
	let last: ParticleFailure | undefined;
	for (let retries = 0; ; retries++) {
		const pass = await enterGate(context, spec, hold, last);
		let response: unknown;
		try {
			response = await sendOnce(context, { ...options, headers: { ...options.headers } }, spec);
		} catch (error) {
			last = failureOf(error, spec.method, retries, spec.path);
			await waitOrThrow(context, last, spec, retries, pass, hold);
			continue;
		}
		spec.gate?.settle(pass);
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
	/**
	 * The page-size query key the endpoint's reference entry documents. Particle's reference names it `perPage` for
	 * the product device and SIM lists (particle-api-js sends `per_page`); default `perPage`.
	 */
	pageSizeParameter?: 'perPage' | 'per_page';
}

interface PagedResponse {
	meta?: { total_pages?: number };
	[key: string]: unknown;
}

/** What makes two list entries the same thing: a device, SIM or customer ID, a username, or else the whole entry. */
function entryKey(entry: unknown): string {
	if (typeof entry === 'object' && entry !== null) {
		const fields = entry as Record<string, unknown>;
		for (const name of ['id', 'deviceId', 'iccid', '_id', 'username']) {
			const value = fields[name];
			if (typeof value === 'string' || typeof value === 'number') return `${name}:${value}`;
		}
	}
	return `entry:${JSON.stringify(entry)}`;
}

/**
 * Reads a paged list (`page`, the page size, `meta.total_pages`), all of it or up to `limit` items, each entry once.
 * A page that brings nothing new ends the reading: a cloud that ignores `page` (the customer list documents no
 * paging) would otherwise answer page 1 again and again, up to `total_pages` times.
 */
export async function requestAllPages<T = IDataObject>(
	context: ParticleContext,
	spec: ParticleRequest,
	{ itemsKey, limit, pageSizeParameter = 'perPage' }: PageOptions,
): Promise<T[]> {
	const perPage = limit !== undefined ? Math.max(1, Math.min(limit, MAX_PAGE_SIZE)) : MAX_PAGE_SIZE;
	const collected: T[] = [];
	const seen = new Set<string>();
	for (let page = 1; page <= MAX_PAGES; page++) {
		const response = await request<PagedResponse>(context, {
			...spec,
			query: { ...spec.query, page, [pageSizeParameter]: perPage },
		});
		const items = response[itemsKey];
		if (!Array.isArray(items)) {
			throw toNodeApiError(
				context.getNode(),
				{ method: spec.method, retries: 0, status: 200, body: { error: `The answer has no "${itemsKey}" list` } },
				spec.itemIndex,
			);
		}
		let fresh = 0;
		for (const item of items as T[]) {
			const key = entryKey(item);
			if (seen.has(key)) continue;
			seen.add(key);
			collected.push(item);
			fresh++;
		}
		if (limit !== undefined && collected.length >= limit) return collected.slice(0, limit);
		const totalPages = Number(response.meta?.total_pages ?? page);
		if (page >= totalPages || fresh === 0) break;
	}
	return collected;
}

/** A download as it arrives (Particle's CSV export), to hand to `prepareBinaryData`: never held whole. */
export interface Download {
	body: Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];
	contentType: string;
}

export interface DownloadRequest {
	/** Built with paths.ts; starts with `/v1/`. */
	path: string;
	query?: IDataObject;
	/** The media type asked for and required of the answer, for example `text/csv`. */
	accept: string;
	itemIndex?: number;
	gate?: RateLimitGate;
}

/** An error answer is a few hundred bytes; more is not Particle's words. */
const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

type StreamedBody = AsyncIterable<Buffer | string> & { destroy?: () => void };

/** The first bytes of a failed streamed answer, parsed like any error body, so the error says what Particle said. */
async function readErrorBody(data: StreamedBody): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of data) {
			const piece = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
			chunks.push(piece);
			size += piece.length;
			if (size >= ERROR_BODY_LIMIT_BYTES) break;
		}
	} catch {
		// A body cut short still says what it said.
	} finally {
		data.destroy?.();
	}
	return parseBody(Buffer.concat(chunks).subarray(0, ERROR_BODY_LIMIT_BYTES).toString('utf8'));
}

function streamedBodyOf(error: unknown): StreamedBody | undefined {
	for (let current = error as ErrorLike | undefined, depth = 0; current && depth < 5; current = current.cause as ErrorLike, depth++) {
		if (isReadable(current.response?.data)) return current.response?.data as StreamedBody;
	}
	return undefined;
}

/**
 * GETs an answer as a stream through the same door (credential, Base URL, no redirects, 429 gate, retries of reads).
 * A failed answer is read (bounded) and mapped like any other, so a 401 or 404 becomes an error, never a file; an
 * answer of another media type than asked for is refused too.
 */
export async function requestDownload(context: IExecuteFunctions, spec: DownloadRequest): Promise<Download> {
	const method = 'GET';
	const baseUrl = await baseUrlOf(context, spec.itemIndex);
	const options: IHttpRequestOptions = {
		method,
		url: particleUrl(context, baseUrl, spec.path, spec.itemIndex),
		headers: { Accept: spec.accept },
		timeout: REQUEST_TIMEOUT_MS,
		encoding: 'stream',
		returnFullResponse: true,
		json: false,
		...NO_REDIRECTS,
	};
	if (spec.query && Object.keys(spec.query).length > 0) options.qs = spec.query;

	const hold: RateLimitHold = {};
	let last: ParticleFailure | undefined;
	for (let retries = 0; ; retries++) {
		const pass = await enterGate(context, { ...spec, method }, hold, last);
		let response: { body: StreamedBody; headers?: Record<string, unknown> };
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_NAME, {
				...options,
				headers: { ...options.headers },
			})) as typeof response;
		} catch (error) {
			last = failureOf(error, method, retries, spec.path);
			const body = streamedBodyOf(error);
			if (body !== undefined) last.body = await readErrorBody(body);
			await waitOrThrow(context, last, { ...spec, method }, retries, pass, hold);
			continue;
		}
		spec.gate?.settle(pass);
		const contentType = headerText(response.headers?.['content-type']) ?? '';
		if (contentType.split(';')[0].trim().toLowerCase() !== spec.accept.toLowerCase()) {
			response.body.destroy?.();
			throw toNodeApiError(
				context.getNode(),
				{ method, retries, status: 200, body: { error: `The answer is ${contentType || 'of no stated type'}, not ${spec.accept}` } },
				spec.itemIndex,
			);
		}
		return { body: response.body as Download['body'], contentType };
	}
}

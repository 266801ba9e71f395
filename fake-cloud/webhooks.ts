/**
 * Webhook delivery as Particle's webhook reference describes it (docs: reference/cloud-apis/webhooks, "Default data",
 * "Variable substitution", "Limits"; troubleshooting guide "Skipped events"):
 *
 * - the request: `requestType`, the URL with `query`, `headers` (and `auth` as HTTP Basic), and a body that is the default
 *   data (`event`, `data`, `published_at`, `coreid`) form-encoded, or the `form` / `json` / `body` template, with the
 *   default data added unless `noDefaults`; GET carries the data in the query, GET and DELETE have no body;
 *   `User-Agent: ParticleBot/1.1 (https://docs.particle.io/webhooks)`;
 * - mustache templates: `{{{var}}}`, `{{var}}` (HTML-escaped `&<>"'`), dotted paths, sections and inverted sections, the
 *   predefined PARTICLE_* / PRODUCT_* variables and the fields of JSON event data;
 * - success is a 2xx within 20 s; anything else is an error, reported as a `hook-error/<event>/0` event;
 * - per host name: when a host answered with more errors than successes (here: at least 5 errors among its last 20
 *   answers of the last minute), events are skipped ("Sleeping, too many errors, please wait and try again") until a
 *   few seconds passed without errors; a skipped event is tried again after 30 s and after 1 min, then dropped.
 *   Failed attempts are not sent again: the published docs retry only skipped events.
 *
 * Everything is bounded (requests in flight, retries waiting, response bytes kept, history) and ends on close().
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Delivery timing, Particle's by default; tests shorten it. */
export interface WebhookTiming {
	/** How long the target has to answer (Particle: 20 s). */
	timeoutMs: number;
	/** When a skipped event is tried again (Particle: after 30 s and after 1 min), then dropped. */
	retryDelaysMs: number[];
	/** How long a throttled host must stay free of errors before requests go out again ("a few seconds"). */
	cooldownMs: number;
}

export const PARTICLE_WEBHOOK_TIMING: WebhookTiming = { timeoutMs: 20_000, retryDelaysMs: [30_000, 60_000], cooldownMs: 5_000 };

export type AttemptOutcome = 'delivered' | 'failed' | 'skipped';

export interface DeliveryAttempt {
	/** Real time (Date.now), like RecordedRequest.at: throttling and retries run on real timers. */
	at: number;
	outcome: AttemptOutcome;
	/** The target's HTTP status; 0 when it did not answer (or the attempt was skipped). */
	status: number;
	/** Why it failed or was skipped, as Particle's hook-error event words it. */
	error?: string;
}

export interface WebhookRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: string;
}

export interface WebhookDelivery {
	integrationId: string;
	/** The event that triggered the webhook. */
	event: string;
	/** What was (or would have been) sent. */
	request: WebhookRequest;
	attempts: DeliveryAttempt[];
	state: 'pending' | 'delivered' | 'failed' | 'dropped';
	/** The target's answer body (up to 100 KB), on the last attempt that got one. */
	responseBody?: string;
}

/** What a webhook is rendered from: the fields of the integration that shape the request. */
export interface WebhookTemplate {
	url: string;
	requestType: string;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	json?: unknown;
	form?: Record<string, string>;
	body?: string;
	auth?: { username: string; password: string };
	noDefaults?: boolean;
	rejectUnauthorized?: boolean;
}

/** The triggering event as templates see it. */
export interface TemplateEvent {
	name: string;
	data: string | null;
	published_at: string;
	coreid: string;
	eventId: string;
	productId?: number;
	/** Product webhooks only. */
	productUserId?: string;
	productVersion?: number;
}

/** Particle chunks responses for devices in 512 bytes and keeps up to 100 KB (webhook reference, "Webhook responses"). */
export const RESPONSE_MAX_BYTES = 100 * 1024;
const MAX_IN_FLIGHT = 100;
const MAX_WAITING_RETRIES = 1000;
const MAX_HISTORY = 1000;
const RATING_WINDOW_MS = 60_000;
const RATING_ANSWERS = 20;
const MIN_ERRORS_TO_THROTTLE = 5;
const USER_AGENT = 'ParticleBot/1.1 (https://docs.particle.io/webhooks)';
export const SLEEPING_ERROR = 'Sleeping, too many errors, please wait and try again';

// ------------------------------------------------------------------------------------------------------------------
// Templates

type View = Record<string, unknown>;

/** The predefined variables, then the top-level fields of JSON event data (predefined names win). */
export function templateView(event: TemplateEvent): View {
	const predefined: View = {
		PARTICLE_DEVICE_ID: event.coreid,
		PARTICLE_EVENT_NAME: event.name,
		PARTICLE_EVENT_VALUE: event.data ?? '',
		PARTICLE_PUBLISHED_AT: event.published_at,
		PARTICLE_EVENT_ID: event.eventId,
		PRODUCT_ID: event.productId ?? '',
		PRODUCT_USER_ID: event.productUserId ?? '',
		PRODUCT_VERSION: event.productVersion ?? '',
	};
	let custom: unknown;
	try {
		custom = event.data === null ? undefined : JSON.parse(event.data);
	} catch {
		custom = undefined;
	}
	return typeof custom === 'object' && custom !== null && !Array.isArray(custom) ? { ...(custom as View), ...predefined } : predefined;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const TAG = /\{\{(\{)?\s*([#^/!&]?)\s*([^}]*?)\s*\}?\}\}/g;

function lookup(stack: unknown[], path: string): unknown {
	if (path === '.') return stack[stack.length - 1];
	const [head, ...rest] = path.split('.');
	for (let index = stack.length - 1; index >= 0; index--) {
		const scope = stack[index];
		if (typeof scope === 'object' && scope !== null && Object.prototype.hasOwnProperty.call(scope, head)) {
			return rest.reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as View)[key] : undefined), (scope as View)[head]);
		}
	}
	return undefined;
}

function asText(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function isFalsy(value: unknown): boolean {
	return value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The end of the section opened just before `from`: the matching `{{/name}}`, nested sections of the same name counted. */
function sectionEnd(template: string, name: string, from: number): { start: number; end: number } {
	let depth = 1;
	const tags = new RegExp(TAG.source, 'g');
	tags.lastIndex = from;
	for (let match = tags.exec(template); match; match = tags.exec(template)) {
		if (match[3] !== name) continue;
		if (match[2] === '#' || match[2] === '^') depth++;
		if (match[2] === '/' && --depth === 0) return { start: match.index, end: tags.lastIndex };
	}
	return { start: template.length, end: template.length };
}

function renderWith(template: string, stack: unknown[]): string {
	let out = '';
	let at = 0;
	const tags = new RegExp(TAG.source, 'g');
	for (let match = tags.exec(template); match; match = tags.exec(template)) {
		out += template.slice(at, match.index);
		const [, triple, kind, name] = match;
		at = tags.lastIndex;
		if (kind === '!' || kind === '/') continue;
		if (kind === '#' || kind === '^') {
			const { start, end } = sectionEnd(template, name, tags.lastIndex);
			const inner = template.slice(tags.lastIndex, start);
			const value = lookup(stack, name);
			if (kind === '^') out += isFalsy(value) ? renderWith(inner, stack) : '';
			else if (Array.isArray(value)) out += value.map((entry) => renderWith(inner, [...stack, entry])).join('');
			else if (!isFalsy(value)) out += renderWith(inner, typeof value === 'object' ? [...stack, value] : stack);
			tags.lastIndex = end;
			at = end;
			continue;
		}
		const text = asText(lookup(stack, name));
		out += triple || kind === '&' ? text : text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
	}
	return out + template.slice(at);
}

export function renderTemplate(template: string, view: View): string {
	return renderWith(template, [view]);
}

/** A `json` template object: keys and string values are templates, everything else is kept. */
function renderJson(value: unknown, view: View): unknown {
	if (typeof value === 'string') return renderTemplate(value, view);
	if (Array.isArray(value)) return value.map((entry) => renderJson(entry, view));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [renderTemplate(key, view), renderJson(entry, view)]));
	}
	return value;
}

function renderPairs(pairs: Record<string, string> | undefined, view: View): Record<string, string> {
	return Object.fromEntries(Object.entries(pairs ?? {}).map(([key, value]) => [renderTemplate(key, view), renderTemplate(value, view)]));
}

/** The request a webhook sends for an event, or why it cannot be built. */
export function buildWebhookRequest(template: WebhookTemplate, event: TemplateEvent): WebhookRequest | { error: string } {
	const view = templateView(event);
	const defaults: Record<string, string> = template.noDefaults
		? {}
		: { event: event.name, data: event.data ?? '', published_at: event.published_at, coreid: event.coreid };
	const method = template.requestType.toUpperCase();
	const headers: Record<string, string> = { 'user-agent': USER_AGENT };
	for (const [name, value] of Object.entries(renderPairs(template.headers, view))) headers[name.toLowerCase()] = value;
	if (template.auth) {
		const user = renderTemplate(template.auth.username, view);
		const password = renderTemplate(template.auth.password, view);
		headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
	}
	const query = { ...(method === 'GET' ? defaults : {}), ...renderPairs(template.query, view) };
	const url = new URL(renderTemplate(template.url, view));
	for (const [key, value] of Object.entries(query)) url.searchParams.append(key, value);

	let body: string | undefined;
	if (method === 'POST' || method === 'PUT') {
		if (template.json !== undefined) {
			let rendered = renderJson(template.json, view);
			// A string template is rendered as text first: it may be JSON only once its variables are filled in.
			if (typeof template.json === 'string') {
				try {
					rendered = JSON.parse(rendered as string) as unknown;
				} catch {
					return { error: 'The json template did not render to valid JSON' };
				}
			}
			const merged = typeof rendered === 'object' && rendered !== null && !Array.isArray(rendered) ? { ...defaults, ...(rendered as View) } : rendered;
			body = JSON.stringify(merged);
			headers['content-type'] ??= 'application/json';
			headers.accept ??= 'application/json';
		} else if (template.body !== undefined) {
			// A custom body gets no Content-Type unless the headers set one (webhook reference, "Custom body").
			body = renderTemplate(template.body, view);
		} else {
			body = new URLSearchParams({ ...defaults, ...renderPairs(template.form, view) }).toString();
			headers['content-type'] ??= 'application/x-www-form-urlencoded';
		}
	}
	return { method, url: url.href, headers, ...(body !== undefined ? { body } : {}) };
}

// ------------------------------------------------------------------------------------------------------------------
// Delivery

interface Answer {
	status: number;
	body: string;
	error?: string;
}

/** Recent answers per host name (not port: Particle rates servers by host name). */
class HostRatings {
	private readonly answers = new Map<string, Array<{ at: number; ok: boolean }>>();

	record(host: string, ok: boolean, now: number): void {
		const recent = this.recent(host, now);
		recent.push({ at: now, ok });
		this.answers.set(host, recent.slice(-RATING_ANSWERS));
	}

	sleeping(host: string, now: number, cooldownMs: number): boolean {
		const recent = this.recent(host, now);
		const errors = recent.filter((answer) => !answer.ok);
		if (errors.length < MIN_ERRORS_TO_THROTTLE || errors.length <= recent.length - errors.length) return false;
		return now - errors[errors.length - 1].at < cooldownMs;
	}

	clear(): void {
		this.answers.clear();
	}

	private recent(host: string, now: number): Array<{ at: number; ok: boolean }> {
		return (this.answers.get(host) ?? []).filter((answer) => answer.at > now - RATING_WINDOW_MS);
	}
}

export interface DeliveryReport {
	delivery: WebhookDelivery;
	answer?: Answer;
	/** The attempt that just ended. */
	attempt: DeliveryAttempt;
}

/** Sends webhook requests, rates hosts, retries skipped events; reports each attempt to `onAttempt`. */
export class WebhookSender {
	readonly deliveries: WebhookDelivery[] = [];
	timing: WebhookTiming = { ...PARTICLE_WEBHOOK_TIMING, retryDelaysMs: [...PARTICLE_WEBHOOK_TIMING.retryDelaysMs] };

	private readonly ratings = new HostRatings();
	private readonly inFlight = new Set<AbortController>();
	private readonly waiting = new Set<NodeJS.Timeout>();
	/** Attempts started and not yet recorded. */
	private busy = 0;
	private settledWaiters: Array<() => void> = [];
	private closed = false;

	constructor(private readonly onAttempt: (report: DeliveryReport) => void) {}

	/** Sends the delivery's request now (or skips it while its host is throttled), without waiting for the answer. */
	deliver(delivery: WebhookDelivery, rejectUnauthorized: boolean): void {
		this.deliveries.push(delivery);
		if (this.deliveries.length > MAX_HISTORY) this.deliveries.splice(0, this.deliveries.length - MAX_HISTORY);
		void this.attempt(delivery, rejectUnauthorized, 0);
	}

	/** One request now, its answer awaited (the integration test endpoint); never throttled, never retried. */
	async sendOnce(request: WebhookRequest, rejectUnauthorized: boolean): Promise<Answer> {
		this.busy++;
		try {
			return await this.send(request, rejectUnauthorized);
		} finally {
			this.busy--;
			this.checkSettled();
		}
	}

	/** Resolves once no attempt is under way and no retry is waiting. */
	settled(): Promise<void> {
		if (this.busy === 0 && this.waiting.size === 0) return Promise.resolve();
		return new Promise((resolve) => this.settledWaiters.push(resolve));
	}

	close(): void {
		this.closed = true;
		for (const controller of this.inFlight) controller.abort();
		for (const timer of this.waiting) clearTimeout(timer);
		this.waiting.clear();
		this.ratings.clear();
		this.checkSettled();
	}

	private async attempt(delivery: WebhookDelivery, rejectUnauthorized: boolean, retriesSoFar: number): Promise<void> {
		if (this.closed) return;
		this.busy++;
		try {
			const host = new URL(delivery.request.url).hostname;
			if (this.ratings.sleeping(host, Date.now(), this.timing.cooldownMs)) {
				this.skip(delivery, rejectUnauthorized, retriesSoFar, SLEEPING_ERROR);
				return;
			}
			// The fake's own bound, not Particle's: beyond it an event is skipped like a throttled one.
			if (this.inFlight.size >= MAX_IN_FLIGHT) {
				this.skip(delivery, rejectUnauthorized, retriesSoFar, 'Too many webhook requests in flight');
				return;
			}
			const answer = await this.send(delivery.request, rejectUnauthorized);
			if (this.closed) return;
			const ok = answer.status >= 200 && answer.status < 300;
			this.ratings.record(host, ok, Date.now());
			if (answer.status !== 0) delivery.responseBody = answer.body;
			delivery.state = ok ? 'delivered' : 'failed';
			const attempt: DeliveryAttempt = { at: Date.now(), outcome: ok ? 'delivered' : 'failed', status: answer.status, ...(answer.error ? { error: answer.error } : {}) };
			this.record(delivery, attempt, answer);
		} finally {
			this.busy--;
			this.checkSettled();
		}
	}

	/** Skipped now; tried again after the next retry delay, or dropped when there is none left. */
	private skip(delivery: WebhookDelivery, rejectUnauthorized: boolean, retriesSoFar: number, error: string): void {
		this.record(delivery, { at: Date.now(), outcome: 'skipped', status: 0, error });
		const delay = this.timing.retryDelaysMs[retriesSoFar];
		if (delay === undefined || this.waiting.size >= MAX_WAITING_RETRIES) {
			delivery.state = 'dropped';
			return;
		}
		const timer = setTimeout(() => {
			this.waiting.delete(timer);
			void this.attempt(delivery, rejectUnauthorized, retriesSoFar + 1);
			this.checkSettled();
		}, delay);
		timer.unref();
		this.waiting.add(timer);
	}

	private record(delivery: WebhookDelivery, attempt: DeliveryAttempt, answer?: Answer): void {
		delivery.attempts.push(attempt);
		this.onAttempt({ delivery, attempt, answer });
	}

	private send(request: WebhookRequest, rejectUnauthorized: boolean): Promise<Answer> {
		const controller = new AbortController();
		this.inFlight.add(controller);
		const url = new URL(request.url);
		const host = url.hostname;
		return new Promise<Answer>((resolve) => {
			let settled = false;
			const done = (answer: Answer) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				this.inFlight.delete(controller);
				resolve(answer);
			};
			const timer = setTimeout(() => {
				controller.abort();
				done({ status: 0, body: '', error: `ESOCKETTIMEDOUT: no answer from ${host} within ${this.timing.timeoutMs} ms` });
			}, this.timing.timeoutMs);
			timer.unref();
			const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
			const headers = { ...request.headers, ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}) };
			const req = send(url, { method: request.method, headers, signal: controller.signal, rejectUnauthorized }, (res: IncomingMessage) => {
				const chunks: Buffer[] = [];
				let size = 0;
				res.on('data', (chunk: Buffer) => {
					if (size < RESPONSE_MAX_BYTES) chunks.push(chunk.subarray(0, RESPONSE_MAX_BYTES - size));
					size += chunk.length;
				});
				res.on('end', () => {
					const status = res.statusCode ?? 0;
					const ok = status >= 200 && status < 300;
					done({ status, body: Buffer.concat(chunks).toString('utf8'), ...(ok ? {} : { error: `error status ${status} from ${host}` }) });
				});
				res.on('error', (error: NodeJS.ErrnoException) => done({ status: 0, body: '', error: `${error.code ?? 'ECONNRESET'} from ${host}` }));
			});
			req.on('error', (error: NodeJS.ErrnoException) => done({ status: 0, body: '', error: `${error.code ?? error.message} from ${host}` }));
			req.end(request.body);
		});
	}

	private checkSettled(): void {
		if (this.busy > 0 || this.waiting.size > 0) return;
		const waiters = this.settledWaiters;
		this.settledWaiters = [];
		for (const resolve of waiters) resolve();
	}
}

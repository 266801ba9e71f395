/**
 * The public contract of the fake cloud. Tests and the demo code against these names; keep them stable.
 */
import type { ClockSource } from './clock';
import type { Fleet } from './fleet';
import type { FleetScript, FleetScriptOptions } from './script';
import type { TokenEndpointLimits } from './tokens';
import type { WebhookDelivery, WebhookTiming } from './webhooks';

export interface FakeCloudOptions {
	/** 0 (default) = random free port; the host is always 127.0.0.1. */
	port?: number;
	/** Same seed, same fleet, same initial tokens (default 1). */
	seed?: number;
	/** Sandbox devices owned by the user (default 4). */
	devices?: number;
	/** Products (default 1). */
	products?: number;
	/** Devices per product (default 6). */
	productDevices?: number;
	/** Added to every response (default 0). */
	latencyMs?: number;
	/** Lifetime of tokens minted by `/oauth/token` client_credentials (default 3600). */
	tokenLifetimeSeconds?: number;
	/** Default null (no limit). */
	rateLimit?: RateLimitOptions | null;
	/** Limits of `POST /oauth/token` that differ from Particle's documented ones (100 per 5 minutes, a block after 10 failures in a row). */
	tokenEndpoint?: Partial<TokenEndpointLimits>;
	/**
	 * The fake's clock (default: real time). A number pins it there: it stands still until `setClock` or
	 * `advanceClock` moves it, so the seeded fleet and everything simulated depend on the seed and this time alone.
	 * A function is read as the clock.
	 */
	now?: ClockSource;
}

/** 429 after `max` requests within `windowMs`; a Retry-After header only when `retryAfterSeconds` is set. */
export interface RateLimitOptions {
	max: number;
	windowMs: number;
	retryAfterSeconds?: number;
}

export interface RecordedRequest {
	method: string;
	/** Path without the query string, percent-encoded exactly as received. */
	path: string;
	/** The path with each segment decoded once. */
	decodedPath: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string | string[] | undefined>;
	authorization?: string;
	contentType?: string;
	rawBody: string;
	/** Parsed JSON, or a form object; undefined when empty or unparseable. */
	body: unknown;
	/** Status the fake answered with, or 0 when the connection was dropped (or not answered yet). */
	status: number;
	/** Arrival in real ms (Date.now), not the fake's clock: it measures how long a client really waited. */
	at: number;
	/** Requests the fake was serving when this one arrived, this one included (an open event stream counts until it ends). */
	inFlight: number;
}

export interface FaultRule {
	method?: string;
	/** Matches the decoded path: a string is a prefix, a RegExp is tested. */
	path?: string | RegExp;
	/** How many matching requests it applies to (default 1). */
	times?: number;
	status?: number;
	/** JSON body (a string is sent verbatim as text/plain); default: a Particle-shaped body for the status. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Destroy the socket without answering. */
	dropConnection?: boolean;
	/** Wait before answering or dropping; with neither `status` nor `dropConnection` the request then proceeds normally. */
	delayMs?: number;
}

export type TokenKind = 'user' | 'apiUser' | 'product' | 'customer';

export interface IssueTokenSpec {
	kind: TokenKind;
	scopes?: string[];
	productId?: number;
	lifetimeSeconds?: number;
	/** Customer email for `kind: 'customer'`; created in the product when unknown. */
	customer?: string;
	/** For `kind: 'apiUser'`: an organization (id or slug) instead of a product, like an API user of `/v1/orgs/:org/team`. */
	org?: string;
}

export interface FakeCloud {
	readonly url: string;
	readonly port: number;
	readonly tokens: {
		/** User token: owner of the sandbox devices, admin of every product and org. */
		user: string;
		/** API-user token of product[0] with scopes devices:list and devices:get. */
		apiUser: string;
		/** Customer token of product[0], owner of its first device. */
		customer: string;
	};
	/** The OAuth client of product[0]. */
	readonly productClient: { clientId: string; clientSecret: string; productId: number; productSlug: string };
	readonly fleet: Fleet;
	readonly requests: RecordedRequest[];
	clearRequests(): void;
	injectFault(rule: FaultRule): void;
	clearFaults(): void;
	setRateLimit(limit: RateLimitOptions | null): void;
	/** Changes the limits of `POST /oauth/token`; what is not given keeps its value (Particle's documented limits at start). */
	setTokenEndpointLimits(limits: Partial<TokenEndpointLimits>): void;
	setLatency(ms: number): void;
	issueToken(spec: IssueTokenSpec): string;
	revokeToken(token: string): void;
	expireToken(token: string): void;
	/** Online or offline now; a change publishes `spark/status` (`online` / `offline`) on the device's streams. */
	setOnline(deviceId: string, online: boolean): void;
	/** The device's session ended unnoticed and a new one starts: `spark/status` offline, then online at once. */
	restartSession(deviceId: string): void;
	setVariable(deviceId: string, name: string, value: number | string | boolean): void;
	/** Variable, function and ping calls to the device wait `delayMs`, then answer 408. */
	setSlowDevice(deviceId: string, delayMs: number | null): void;
	/** The device reports vitals now: the last ones changed by `patch` (deep merge); it is heard from. */
	setVitals(deviceId: string, patch: Record<string, unknown>): void;
	/** Spacing of the generated vitals history for a device (default 60 minutes). */
	setVitalsInterval(deviceId: string, minutes: number): void;
	/** Fleet life over time: devices go offline and come back, vitals drift, readings are published. */
	startFleetScript(options?: FleetScriptOptions): FleetScript;
	/** New usage reports stay pending this long; after it the next read finds them available (default 0). */
	setUsageReportDelay(ms: number): void;
	/** Cuts every open event stream; with `lastChunk` (a truncated SSE chunk), after writing it. */
	dropStreams(lastChunk?: string): void;
	/** While true, open event streams get neither keep-alives nor events. */
	silenceStreams(silent: boolean): void;
	/** How many event streams are open now. */
	openStreams(): number;
	/** Every event handed to a webhook integration so far, oldest first, with its attempts (outcome, HTTP status). */
	webhookDeliveries(): WebhookDelivery[];
	/** Resolves once no webhook request is under way and no retry of a skipped event is waiting. */
	webhooksSettled(): Promise<void>;
	/** Particle's webhook timing (20 s to answer, skipped events retried after 30 s and 1 min, a few seconds of cool-down), shortened for tests. */
	setWebhookTiming(timing: Partial<WebhookTiming>): void;
	/** The fake's clock, in ms since the epoch. */
	now(): number;
	/** Replaces the clock: a number pins it there, a function is read as the clock (`() => Date.now()` is real time again). */
	setClock(now: ClockSource): void;
	/** Moves the clock forward, pinned or not: tokens expire, report delays pass, the rate-limit window slides. */
	advanceClock(ms: number): void;
	close(): Promise<void>;
}

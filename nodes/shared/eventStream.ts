/**
 * A Particle event stream that stays open: one reader at a time, an idle watchdog (no byte for `idleTimeoutMs`,
 * keep-alives included and the open itself counted, means the stream is dead), and reconnects with jittered
 * exponential back-off that never opens more than Particle's 100 streams per 5 minutes from this n8n.
 */
import type { ITriggerFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { isRateLimitStatus, jitteredWait, MAX_WAIT_MS, parseRetryAfter } from './backoff';
import { describeFailure, type ParticleFailure } from './errors';
import { SseOverflowError, SseParser, toParticleEvent, type ParticleEvent, type ServerSentEvent } from './sseParser';
import { particleClient, type ParticleStreamClient } from './client';
import { baseUrlOf, failureOf, toNodeApiError, type OpenedStream } from './transport';

/**
 * Silence after which a stream is taken for dead. Particle's keep-alives come well within it (its own JS client gives up
 * after 15 s too).
 */
export const IDLE_TIMEOUT_MS = 15_000;
export const RECONNECT_BASE_MS = 1_000;
/** A connection that stayed up this long worked: the next drop starts the back-off from the bottom again. */
export const STABLE_CONNECTION_MS = 30_000;
/** Particle counts stream opens per IP: 100 per 5 minutes. */
export const OPENS_PER_WINDOW = 100;
export const OPEN_WINDOW_MS = 300_000;
/**
 * Reopens that fail in a way waiting does not fix by itself (an answer that is not an event stream, a failure before
 * sending) are reported to n8n after this many in a row; n8n then shows the error and retries the activation.
 */
export const MAX_UNHEALTHY_REOPENS = 3;
/** How often the watchdog looks at the clock. */
const WATCHDOG_TICK_MS = 250;

/** Answers that waiting will not change: the credential, the access, the route, or the Base URL must be fixed. */
const PERMANENT_STATUSES = new Set([400, 401, 403, 404]);

export interface EventStreamOptions {
	/** Path of the stream, built from paths.ts. */
	path: string;
	parseJson: boolean;
	onEvent(event: ParticleEvent): void;
	/** A failure that retrying will not fix (401, 403, 404 after activation): the stream stops. */
	onFatal(error: Error): void;
	idleTimeoutMs?: number;
	reconnectBaseMs?: number;
}

/** Sliding-window limit on stream opens; waits instead of exceeding it. */
export class OpenRateLimiter {
	private readonly opens: number[] = [];

	constructor(
		private readonly max = OPENS_PER_WINDOW,
		private readonly windowMs = OPEN_WINDOW_MS,
	) {}

	/** How long to wait before the next open is allowed (0: now). */
	waitMs(now = Date.now()): number {
		while (this.opens.length > 0 && this.opens[0] <= now - this.windowMs) this.opens.shift();
		return this.opens.length < this.max ? 0 : this.opens[0] + this.windowMs - now;
	}

	record(now = Date.now()): void {
		this.opens.push(now);
	}
}

/** One limiter per Base URL for every trigger in this n8n process: Particle counts the opens of the IP, not of a node. */
const limitersByBaseUrl = new Map<string, OpenRateLimiter>();

export function openLimiterFor(baseUrl: string): OpenRateLimiter {
	let limiter = limitersByBaseUrl.get(baseUrl);
	if (!limiter) {
		limiter = new OpenRateLimiter();
		limitersByBaseUrl.set(baseUrl, limiter);
	}
	return limiter;
}

/** A failure of an open or a read, with what it means for the next step. */
interface StreamFailure {
	failure: ParticleFailure;
	/** Waiting fixes nothing: activation fails, or later the stream stops and n8n is told. */
	permanent: boolean;
	/** Not permanent, but not a passing network fault either: reported to n8n when it keeps happening. */
	unhealthy: boolean;
}

interface Connection {
	body: OpenedStream['body'];
	openedAt: number;
	/** Set when the watchdog ended it: the read error that follows is ours, already logged. */
	endedBySilence: boolean;
	abort(): void;
}

class NotAnEventStreamError extends Error {
	constructor(contentType: string) {
		super(
			`The Base URL answered the event stream with ${contentType === '' ? 'no content type' : `"${contentType.slice(0, 60)}"`} instead of text/event-stream: it is not the Particle Cloud (a proxy or a login page?)`,
		);
		this.name = 'NotAnEventStreamError';
	}
}

export class ParticleEventStream {
	private closed = false;
	private current: Connection | undefined;
	/** The open in progress, so the watchdog can bound it and `close()` can abort it. */
	private opening: { controller: AbortController; startedAt: number; timedOut: boolean } | undefined;
	private lastOpenTimedOut = false;
	private lastByteAt = 0;
	private failures = 0;
	private unhealthyInARow = 0;
	/** What the cloud's last 429/529 asked for (Retry-After): the next open waits at least this long. */
	private askedWaitMs = 0;
	private limiter: OpenRateLimiter | undefined;
	private readonly parser = new SseParser();
	private readonly idleTimeoutMs: number;
	private readonly reconnectBaseMs: number;
	/** Opens go through the same door as every request (the credential, the Base URL, no redirects). */
	private readonly client: ParticleStreamClient;

	constructor(
		private readonly context: ITriggerFunctions,
		private readonly options: EventStreamOptions,
	) {
		this.client = particleClient(context);
		this.idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
		this.reconnectBaseMs = options.reconnectBaseMs ?? RECONNECT_BASE_MS;
	}

	/**
	 * Opens the stream and keeps it open until `close()`. Resolves once the first open is settled (within the idle
	 * timeout); rejects when that first open fails for good (bad token or OAuth client, no access, unknown product, a
	 * Base URL that redirects or is not an event stream), so activation fails with the reason.
	 */
	async start(): Promise<void> {
		this.limiter = openLimiterFor(await baseUrlOf(this.context));
		void this.watchdog();
		let connection: Connection;
		try {
			connection = await this.connect();
		} catch (error) {
			const outcome = this.classify(error);
			if (outcome.permanent || outcome.unhealthy) {
				this.close();
				throw toNodeApiError(this.context.getNode(), outcome.failure);
			}
			this.report(outcome.failure);
			void this.loop(undefined);
			return;
		}
		void this.loop(connection);
	}

	close(): void {
		this.closed = true;
		this.opening?.controller.abort();
		this.opening = undefined;
		this.current?.abort();
		this.current = undefined;
	}

	/** Waits in short slices, so `close()` never leaves a long timer behind. */
	private async pause(ms: number): Promise<void> {
		for (const until = Date.now() + ms; !this.closed && Date.now() < until; ) {
			await sleep(Math.min(WATCHDOG_TICK_MS, until - Date.now()));
		}
	}

	private async connect(): Promise<Connection> {
		const limiter = this.limiter ?? openLimiterFor(await baseUrlOf(this.context));
		const wait = limiter.waitMs();
		if (wait > 0) await this.pause(wait);
		if (this.closed) throw new Error('closed');
		limiter.record();
		const opening = { controller: new AbortController(), startedAt: Date.now(), timedOut: false };
		this.opening = opening;
		this.lastOpenTimedOut = false;
		let opened: OpenedStream;
		try {
			opened = await this.client.openStream(this.options.path, opening.controller.signal);
		} finally {
			// When the watchdog aborted it, classify() says so rather than pass on the helper's "canceled".
			this.lastOpenTimedOut = opening.timedOut;
			if (this.opening === opening) this.opening = undefined;
		}
		const abort = () => {
			opening.controller.abort();
			opened.body.destroy?.();
		};
		if (!/^text\/event-stream\b/i.test(opened.contentType.trim())) {
			abort();
			throw new NotAnEventStreamError(opened.contentType);
		}
		this.parser.reset();
		this.lastByteAt = Date.now();
		return { body: opened.body, openedAt: Date.now(), endedBySilence: false, abort };
	}

	/** Reads the open connection to its end, then reconnects, until closed. Only one connection exists at a time. */
	private async loop(first: Connection | undefined): Promise<void> {
		let connection = first;
		while (!this.closed) {
			if (connection) {
				this.current = connection;
				await this.read(connection);
				connection.abort();
				this.current = undefined;
				if (this.closed) return;
				// Only a connection that stayed up resets the back-off: a server that says ":ok" and hangs up at once
				// must not be reopened in a tight loop.
				if (Date.now() - connection.openedAt >= STABLE_CONNECTION_MS) this.failures = 0;
			}
			await this.pause(Math.max(jitteredWait(this.reconnectBaseMs, Math.min(this.failures, 10), Math.random()), this.askedWaitMs));
			this.askedWaitMs = 0;
			this.failures++;
			if (this.closed) return;
			try {
				connection = await this.connect();
				this.unhealthyInARow = 0;
				if (this.closed) {
					connection.abort();
					return;
				}
			} catch (error) {
				connection = undefined;
				if (this.closed) return;
				const outcome = this.classify(error);
				this.unhealthyInARow = outcome.unhealthy ? this.unhealthyInARow + 1 : 0;
				if (outcome.permanent || this.unhealthyInARow >= MAX_UNHEALTHY_REOPENS) {
					this.close();
					this.options.onFatal(toNodeApiError(this.context.getNode(), outcome.failure));
					return;
				}
				this.report(outcome.failure);
			}
		}
	}

	private async read(connection: Connection): Promise<void> {
		const decoder = new TextDecoder();
		try {
			for await (const chunk of connection.body) {
				if (this.closed) return;
				this.lastByteAt = Date.now();
				const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
				this.emitAll(this.parser.push(text));
			}
			if (!this.closed) this.report({ method: 'GET', retries: this.failures, localError: 'the cloud closed the stream' });
		} catch (error) {
			if (this.closed || connection.endedBySilence) return;
			if (error instanceof SseOverflowError) {
				// Events completed earlier in the same chunk are whole: keep them.
				this.emitAll(error.events);
				this.context.logger.warn(`${error.message}, and opening a new one`);
				return;
			}
			this.report(this.classify(error).failure);
		}
	}

	private emitAll(events: ServerSentEvent[]): void {
		for (const sse of events) {
			const event = toParticleEvent(sse, this.options.parseJson);
			if (event) this.options.onEvent(event);
		}
	}

	/** Ends a connection that has been silent too long, and an open that has not been answered in that time. */
	private async watchdog(): Promise<void> {
		while (!this.closed) {
			await this.pause(WATCHDOG_TICK_MS);
			const now = Date.now();
			if (this.opening && !this.opening.timedOut && now - this.opening.startedAt > this.idleTimeoutMs) {
				this.opening.timedOut = true;
				this.opening.controller.abort();
			}
			if (this.current && now - this.lastByteAt > this.idleTimeoutMs) {
				this.context.logger.warn(`Particle event stream silent for ${this.idleTimeoutMs} ms, reopening it`);
				this.current.endedBySilence = true;
				this.current.abort();
			}
		}
	}

	private classify(error: unknown): StreamFailure {
		if (this.lastOpenTimedOut) {
			const localError = `the Particle Cloud did not answer the event stream open within ${this.idleTimeoutMs / 1000} s`;
			return { failure: { method: 'GET', retries: this.failures, localError }, permanent: false, unhealthy: false };
		}
		if (error instanceof NotAnEventStreamError) {
			return { failure: { method: 'GET', retries: this.failures, status: 200, body: { error: error.message } }, permanent: false, unhealthy: true };
		}
		const failure = failureOf(error, 'GET', this.failures);
		const { status } = failure;
		const redirect = status !== undefined && status >= 300 && status < 400;
		const exchangeRefused = failure.tokenExchange !== undefined && status !== undefined && status >= 300 && status < 500;
		const permanent = redirect || exchangeRefused || (status !== undefined && PERMANENT_STATUSES.has(status));
		// No answer and no socket error: something failed before sending. Retrying the same thing rarely helps.
		const local = status === undefined && failure.networkCode === undefined;
		return { failure, permanent, unhealthy: !permanent && local };
	}

	private report(failure: ParticleFailure): void {
		if (isRateLimitStatus(failure.status)) {
			this.askedWaitMs = Math.min(MAX_WAIT_MS, parseRetryAfter(failure.retryAfter) ?? 0);
		}
		const what =
			failure.status !== undefined
				? `HTTP ${failure.status}`
				: (failure.networkCode ?? failure.localError ?? failure.tokenExchange ?? 'connection closed');
		const cause = failure.status !== undefined || failure.tokenExchange !== undefined ? `: ${describeFailure(failure).message}` : '';
		this.context.logger.warn(`Particle event stream interrupted (${what})${cause}; reconnecting with back-off`);
	}
}

export type { ParticleEvent };

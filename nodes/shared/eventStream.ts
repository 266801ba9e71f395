/**
 * A Particle event stream that stays open: one reader at a time, an idle watchdog (no byte, keep-alives included,
 * for `idleTimeoutMs` means the stream is dead), and reconnects with jittered exponential back-off that never opens
 * more than Particle's 100 streams per 5 minutes.
 */
import type { ITriggerFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { isRateLimitStatus, jitteredWait, MAX_WAIT_MS, parseRetryAfter } from './backoff';
import type { ParticleFailure } from './errors';
import { SseParser, toParticleEvent, type ParticleEvent } from './sseParser';
import { CREDENTIAL_NAME, failureOf, particleUrl, toNodeApiError } from './transport';

/**
 * Silence after which a stream is taken for dead. Particle's keep-alives come well within it (its own JS client gives up
 * after 15 s too); 20 s, the old value, detected a dead stream only just after 20 s.
 */
export const IDLE_TIMEOUT_MS = 15_000;
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_MAX_MS = 60_000;
/** Particle counts stream opens per IP: 100 per 5 minutes. */
export const OPENS_PER_WINDOW = 100;
export const OPEN_WINDOW_MS = 300_000;
/** How often the watchdog looks at the clock. */
const WATCHDOG_TICK_MS = 250;

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

interface Connection {
	body: AsyncIterable<Buffer | string>;
	abort(): void;
}

export class ParticleEventStream {
	private closed = false;
	private current: Connection | undefined;
	private lastByteAt = 0;
	private failures = 0;
	/** What the cloud's last 429/529 asked for (Retry-After): the next open waits at least this long. */
	private askedWaitMs = 0;
	private readonly limiter = new OpenRateLimiter();
	private readonly parser = new SseParser();
	private readonly idleTimeoutMs: number;
	private readonly reconnectBaseMs: number;
	/** How many times the stream was (re)opened; for tests and logs. */
	opens = 0;

	constructor(
		private readonly context: ITriggerFunctions,
		private readonly options: EventStreamOptions,
	) {
		this.idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
		this.reconnectBaseMs = options.reconnectBaseMs ?? RECONNECT_BASE_MS;
	}

	/**
	 * Opens the stream and keeps it open until `close()`. Resolves once the first connection attempt is settled;
	 * rejects when that first attempt fails for good (bad token, no access, unknown product), so activation fails.
	 */
	async start(): Promise<void> {
		let connection: Connection;
		try {
			connection = await this.connect();
		} catch (error) {
			const failure = failureOf(error, 'GET', 0);
			if (isPermanent(failure)) throw toNodeApiError(this.context.getNode(), failure);
			this.report(failure);
			void this.loop(undefined);
			return;
		}
		void this.loop(connection);
		void this.watchdog();
	}

	close(): void {
		this.closed = true;
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
		const wait = this.limiter.waitMs();
		if (wait > 0) await this.pause(wait);
		this.limiter.record();
		this.opens++;
		const controller = new AbortController();
		const body = (await this.context.helpers.httpRequestWithAuthentication.call(this.context, CREDENTIAL_NAME, {
			method: 'GET',
			url: await particleUrl(this.context, this.options.path),
			headers: { Accept: 'text/event-stream' },
			encoding: 'stream',
			abortSignal: controller.signal,
		})) as AsyncIterable<Buffer | string> & { destroy?: () => void };
		this.parser.reset();
		this.lastByteAt = Date.now();
		return {
			body,
			abort: () => {
				controller.abort();
				body.destroy?.();
			},
		};
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
			}
			await this.pause(Math.max(jitteredWait(this.reconnectBaseMs, Math.min(this.failures, 10), Math.random()), this.askedWaitMs));
			this.askedWaitMs = 0;
			this.failures++;
			if (this.closed) return;
			try {
				connection = await this.connect();
				if (this.closed) {
					connection.abort();
					return;
				}
				if (!this.watching) void this.watchdog();
			} catch (error) {
				connection = undefined;
				const failure = failureOf(error, 'GET', this.failures);
				if (isPermanent(failure)) {
					this.closed = true;
					this.options.onFatal(toNodeApiError(this.context.getNode(), failure));
					return;
				}
				this.report(failure);
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
				for (const sse of this.parser.push(text)) {
					// Data arrived: the connection works, so the next drop starts the back-off from the bottom.
					this.failures = 0;
					const event = toParticleEvent(sse, this.options.parseJson);
					if (event) this.options.onEvent(event);
				}
				if (text.includes(':ok')) this.failures = 0;
			}
		} catch (error) {
			if (!this.closed) this.report(failureOf(error, 'GET', this.failures));
		}
	}

	private watching = false;

	/** Ends a connection that has been silent too long, so `loop` reconnects. */
	private async watchdog(): Promise<void> {
		this.watching = true;
		try {
			while (!this.closed) {
				await this.pause(WATCHDOG_TICK_MS);
				if (this.current && Date.now() - this.lastByteAt > this.idleTimeoutMs) {
					this.context.logger.warn(`Particle event stream silent for ${this.idleTimeoutMs} ms, reopening it`);
					this.current.abort();
				}
			}
		} finally {
			this.watching = false;
		}
	}

	private report(failure: ParticleFailure & { retryAfter?: string }): void {
		if (isRateLimitStatus(failure.status)) {
			this.askedWaitMs = Math.min(MAX_WAIT_MS, parseRetryAfter(failure.retryAfter) ?? 0);
		}
		const what = failure.status !== undefined ? `HTTP ${failure.status}` : (failure.networkCode ?? 'connection closed');
		this.context.logger.warn(`Particle event stream interrupted (${what}); reconnecting with back-off`);
	}
}

function isPermanent(failure: ParticleFailure): boolean {
	return failure.status !== undefined && PERMANENT_STATUSES.has(failure.status);
}

export type { ParticleEvent };

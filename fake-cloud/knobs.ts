/**
 * The misbehaviour knobs: cancellable delays, the rate limiter and the injected-fault queue.
 */
import type { FaultRule, RateLimitOptions } from './types';

/** Rejects pending sleeps when the cloud closes, so no request outlives it. */
export class CloudClosedError extends Error {}

export class Sleeper {
	private readonly pending = new Set<() => void>();
	private closed = false;

	sleep(ms: number): Promise<void> {
		if (this.closed) return Promise.reject(new CloudClosedError());
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const cancel = (): void => {
				clearTimeout(timer);
				reject(new CloudClosedError());
			};
			const timer = setTimeout(() => {
				this.pending.delete(cancel);
				resolve();
			}, ms);
			timer.unref();
			this.pending.add(cancel);
		});
	}

	cancelAll(): void {
		this.closed = true;
		for (const cancel of this.pending) cancel();
		this.pending.clear();
	}
}

/** Sliding window: at most `max` accepted requests in any `windowMs`; refused ones do not count. */
export class RateLimiter {
	private hits: number[] = [];

	constructor(readonly options: RateLimitOptions) {
		if (!(options.max >= 0 && options.windowMs > 0)) throw new RangeError('rateLimit needs max >= 0 and windowMs > 0');
	}

	allow(now: number): boolean {
		this.hits = this.hits.filter((t) => t > now - this.options.windowMs);
		if (this.hits.length >= this.options.max) return false;
		this.hits.push(now);
		return true;
	}
}

interface QueuedFault {
	rule: FaultRule;
	remaining: number;
}

/** Rules in arrival order; the first that matches a request applies and uses up one of its `times`. */
export class FaultQueue {
	private queue: QueuedFault[] = [];

	add(rule: FaultRule): void {
		const remaining = rule.times ?? 1;
		if (!(Number.isInteger(remaining) && remaining > 0)) throw new RangeError('fault times must be a positive integer');
		this.queue.push({ rule, remaining });
	}

	clear(): void {
		this.queue = [];
	}

	take(method: string, decodedPath: string): FaultRule | undefined {
		const entry = this.queue.find(({ rule }) => matches(rule, method, decodedPath));
		if (!entry) return undefined;
		entry.remaining--;
		if (entry.remaining === 0) this.queue = this.queue.filter((e) => e !== entry);
		return entry.rule;
	}
}

function matches(rule: FaultRule, method: string, decodedPath: string): boolean {
	if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
	if (rule.path === undefined) return true;
	if (typeof rule.path === 'string') return decodedPath.startsWith(rule.path);
	rule.path.lastIndex = 0; // a /g or /y RegExp keeps state between tests
	return rule.path.test(decodedPath);
}

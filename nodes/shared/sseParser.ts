/**
 * Server-Sent Events parsing, pure, after the WHATWG HTML "event stream interpretation": bytes arrive in arbitrary chunks
 * (a line, or an event, may be cut anywhere), lines end in \n, \r\n or \r, `:` lines are comments (Particle's `:ok`
 * keep-alives), several `data:` lines join with \n, and a blank line ends the event.
 *
 * Only the new chunk is searched for line ends, never the start of an unfinished line again, so the work is linear in
 * the text received however it is cut. Lines and events are capped (`SseParserOptions.limit`): whatever the stream
 * sends, the parser holds at most about twice the cap (one event's data and one unfinished line) plus the chunk in hand.
 */

export interface ServerSentEvent {
	/** From the `event:` line; Particle puts the event name there. */
	event?: string;
	data: string;
}

export interface ParticleEvent {
	name: string;
	/** The event's data: text, or parsed JSON when asked and it parses. */
	data: unknown;
	published_at: string | null;
	coreid: string | null;
	productID?: number;
	ttl?: number;
	[key: string]: unknown;
}

/** 1 MiB of text: Particle's event data is about 1 KiB (limits.ts), so a line or event near this is a broken stream. */
export const DEFAULT_SSE_LIMIT = 1_048_576;

export interface SseParserOptions {
	/**
	 * The longest line (field name, colon and value, without the line end) and the largest event (its `data:` values
	 * joined with \n) accepted, in UTF-16 code units, which is what `String.length` counts: one per ASCII character, so
	 * the same as bytes for Particle's JSON. Default `DEFAULT_SSE_LIMIT` (1 MiB).
	 */
	limit?: number;
}

/** What the parser holds and has done; for tests and benchmarks. Counts are UTF-16 code units. */
export interface SseParserStats {
	/** Characters looked at by the searches for line ends since the parser was created (reset() keeps it): at most
	 * twice the characters fed, as each is looked at by at most one search for \n and one for \r. */
	scanned: number;
	/** Characters held now: the unfinished line, the event's data so far and its event name. */
	buffered: number;
}

/**
 * A line or an event over the parser's limit. Thrown by `push()` before the oversized text is buffered; the parser then
 * refuses every chunk until `reset()`, because the rest of that connection cannot be parsed reliably.
 */
export class SseOverflowError extends Error {
	override readonly name = 'SseOverflowError';

	constructor(
		/** The limit that was exceeded, in UTF-16 code units. */
		readonly limit: number,
		/** A single line was too long, or the data lines of one event were together. */
		readonly kind: 'line' | 'event',
		/** Events completed earlier in the same chunk, before the overflow: still valid, the caller may emit them. */
		readonly events: ServerSentEvent[] = [],
	) {
		super(`Particle event stream sent ${kind === 'line' ? 'a line longer' : 'an event larger'} than ${describeSize(limit)}; dropping the connection`);
	}
}

function describeSize(limit: number): string {
	if (limit % 1_048_576 === 0) return `${limit / 1_048_576} MiB`;
	if (limit % 1024 === 0) return `${limit / 1024} KiB`;
	return `${limit} characters`;
}

const LF = 0x0a;
const BOM = 0xfeff;

export class SseParser {
	private readonly limit: number;
	/** The unfinished line, in the pieces it arrived in: joined once when its end arrives, never rescanned. */
	private pieces: string[] = [];
	private pendingLength = 0;
	private eventName: string | undefined;
	private dataLines: string[] = [];
	/** Length of `dataLines.join('\n')`. */
	private dataLength = 0;
	/** The last chunk ended in \r: a \n at the start of the next one belongs to the same line end. */
	private afterCr = false;
	/** Nothing received yet on this connection: a byte order mark here is ignored. */
	private atStart = true;
	private failed: SseOverflowError['kind'] | undefined;
	private scanned = 0;

	constructor(options: SseParserOptions = {}) {
		const limit = options.limit ?? DEFAULT_SSE_LIMIT;
		if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`SSE limit must be a positive integer, got ${limit}`);
		this.limit = limit;
	}

	/**
	 * Feeds one chunk; returns the events it completed, in order. Throws `SseOverflowError` when a line or an event
	 * goes over the limit; the events completed before that in the same chunk ride on the error.
	 */
	push(chunk: string): ServerSentEvent[] {
		if (this.failed) throw new SseOverflowError(this.limit, this.failed);
		const events: ServerSentEvent[] = [];
		const length = chunk.length;
		if (length === 0) return events;

		let index = 0;
		if (this.atStart) {
			this.atStart = false;
			if (chunk.charCodeAt(0) === BOM) index = 1;
		}
		if (this.afterCr) {
			this.afterCr = false;
			if (index < length && chunk.charCodeAt(index) === LF) index++;
		}

		// The next \n and the next \r at or after `index` (-1: none left in this chunk), each searched for again only
		// once passed, so each character is looked at at most once per search.
		let lf = -2;
		let cr = -2;
		while (index < length) {
			if (lf !== -1 && lf < index) lf = this.find(chunk, '\n', index);
			if (cr !== -1 && cr < index) cr = this.find(chunk, '\r', index);
			const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);

			if (this.pendingLength + (end === -1 ? length : end) - index > this.limit) this.overflow('line', events);
			if (end === -1) {
				this.pieces.push(chunk.slice(index));
				this.pendingLength += length - index;
				break;
			}

			let line = chunk.slice(index, end);
			if (this.pieces.length > 0) {
				this.pieces.push(line);
				line = this.pieces.join('');
				this.pieces = [];
				this.pendingLength = 0;
			}
			index = end + 1;
			if (end === cr) {
				// No \n lies between the last \n search's start and `lf`, so the character after this \r is one iff it is `lf`.
				if (index === length) this.afterCr = true;
				else if (lf === index) index++;
			}
			const event = this.line(line, events);
			if (event) events.push(event);
		}
		return events;
	}

	/** Forgets a half-received event and any overflow, for a fresh connection. */
	reset(): void {
		this.clear();
		this.atStart = true;
		this.failed = undefined;
	}

	get stats(): SseParserStats {
		return { scanned: this.scanned, buffered: this.pendingLength + this.dataLength + (this.eventName?.length ?? 0) };
	}

	private find(chunk: string, char: string, from: number): number {
		const at = chunk.indexOf(char, from);
		this.scanned += (at === -1 ? chunk.length : at + 1) - from;
		return at;
	}

	private clear(): void {
		this.pieces = [];
		this.pendingLength = 0;
		this.eventName = undefined;
		this.dataLines = [];
		this.dataLength = 0;
		this.afterCr = false;
	}

	private overflow(kind: SseOverflowError['kind'], events: ServerSentEvent[]): never {
		// Let go of what was held at once: the caller drops the connection, and may keep this parser until reset().
		this.clear();
		this.failed = kind;
		throw new SseOverflowError(this.limit, kind, events);
	}

	private line(line: string, events: ServerSentEvent[]): ServerSentEvent | undefined {
		if (line === '') return this.dispatch();
		const colon = line.indexOf(':');
		if (colon === 0) return undefined;
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.charCodeAt(0) === 0x20) value = value.slice(1);
		if (field === 'data') {
			const size = this.dataLength + (this.dataLines.length > 0 ? 1 : 0) + value.length;
			if (size > this.limit) this.overflow('event', events);
			// One data line may keep its chunk alive; a second one is copied, so that many short data lines cut from
			// many large chunks cannot hold all of those chunks.
			this.dataLines.push(this.dataLines.length > 0 ? detached(value) : value);
			this.dataLength = size;
		} else if (field === 'event') {
			this.eventName = value;
		}
		// `id` (Particle documents no Last-Event-ID support), `retry` and unknown fields are ignored.
		return undefined;
	}

	/** The spec's "dispatch the event": with no data line there is nothing to dispatch, only the event name to forget. */
	private dispatch(): ServerSentEvent | undefined {
		const event = this.dataLines.length > 0 ? { event: this.eventName, data: this.dataLines.join('\n') } : undefined;
		this.eventName = undefined;
		this.dataLines = [];
		this.dataLength = 0;
		return event;
	}
}

/**
 * `text` as a string of its own. V8 makes a slice of a long string a view that keeps the whole string alive; join()
 * with a separator always builds a new string.
 */
function detached(text: string): string {
	return ['', text].join('\n').slice(1);
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

/**
 * Particle's event from one SSE event: the name from the `event:` line (or the JSON's `name`), the rest from the
 * `data:` JSON. Data that is not Particle's JSON envelope is kept as text.
 */
export function toParticleEvent(sse: ServerSentEvent, parseDataAsJson: boolean): ParticleEvent | undefined {
	const envelope = tryJson(sse.data);
	const fields =
		envelope.ok && envelope.value !== null && typeof envelope.value === 'object' && !Array.isArray(envelope.value)
			? (envelope.value as Record<string, unknown>)
			: { data: sse.data };
	const name = sse.event ?? (typeof fields.name === 'string' ? fields.name : undefined);
	if (name === undefined || name === '') return undefined;

	let data: unknown = fields.data ?? null;
	if (parseDataAsJson && typeof data === 'string') {
		const parsed = tryJson(data);
		if (parsed.ok) data = parsed.value;
	}
	const ttl = fields.ttl === undefined ? undefined : Number(fields.ttl);
	return {
		...fields,
		name,
		data,
		published_at: typeof fields.published_at === 'string' ? fields.published_at : null,
		coreid: typeof fields.coreid === 'string' ? fields.coreid : null,
		...(ttl !== undefined && Number.isFinite(ttl) ? { ttl } : {}),
	};
}

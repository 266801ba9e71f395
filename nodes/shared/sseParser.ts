/**
 * Server-Sent Events parsing, pure: bytes arrive in arbitrary chunks (a line, or an event, may be cut anywhere), lines
 * end in \n, \r\n or \r, `:` lines are comments (Particle's `:ok` keep-alives), several `data:` lines join with \n,
 * and a blank line ends the event.
 */

export interface ServerSentEvent {
	/** From the `event:` line; Particle puts the event name there. */
	event?: string;
	data: string;
	id?: string;
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

export class SseParser {
	private pending = '';
	private eventName: string | undefined;
	private dataLines: string[] = [];
	private lastEventId: string | undefined;
	/** A chunk that ended in \r: the \n that may follow in the next chunk belongs to the same line end. */
	private skipLeadingNewline = false;

	/** Feeds one chunk; returns the events it completed, in order. */
	push(chunk: string): ServerSentEvent[] {
		let text = chunk;
		if (this.skipLeadingNewline && text.startsWith('\n')) text = text.slice(1);
		this.skipLeadingNewline = false;
		this.pending += text;

		const events: ServerSentEvent[] = [];
		let start = 0;
		for (let index = 0; index < this.pending.length; index++) {
			const char = this.pending[index];
			if (char !== '\n' && char !== '\r') continue;
			const line = this.pending.slice(start, index);
			if (char === '\r') {
				if (index + 1 < this.pending.length) {
					if (this.pending[index + 1] === '\n') index++;
				} else {
					this.skipLeadingNewline = true;
				}
			}
			start = index + 1;
			const event = this.line(line);
			if (event) events.push(event);
		}
		this.pending = this.pending.slice(start);
		return events;
	}

	/** The id of the last event that had one, for `Last-Event-ID` on reconnect. */
	get lastId(): string | undefined {
		return this.lastEventId;
	}

	/** Forgets a half-received event, for a fresh connection. */
	reset(): void {
		this.pending = '';
		this.eventName = undefined;
		this.dataLines = [];
		this.skipLeadingNewline = false;
	}

	private line(line: string): ServerSentEvent | undefined {
		if (line === '') return this.dispatch();
		if (line.startsWith(':')) return undefined;
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'event') this.eventName = value;
		else if (field === 'data') this.dataLines.push(value);
		else if (field === 'id' && !value.includes('\u0000')) this.lastEventId = value;
		return undefined;
	}

	private dispatch(): ServerSentEvent | undefined {
		const hasData = this.dataLines.length > 0;
		const event: ServerSentEvent | undefined =
			hasData || this.eventName !== undefined
				? { event: this.eventName, data: this.dataLines.join('\n'), ...(this.lastEventId !== undefined ? { id: this.lastEventId } : {}) }
				: undefined;
		this.eventName = undefined;
		this.dataLines = [];
		return event;
	}
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

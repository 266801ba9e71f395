import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { DEFAULT_SSE_LIMIT, SseOverflowError, SseParser, toParticleEvent, type ServerSentEvent } from '../../nodes/shared/sseParser';

const particleStream =
	':ok\n\n' +
	'event: temperature\n' +
	'data: {"data":"25.34","ttl":60,"published_at":"2015-07-18T00:12:18.174Z","coreid":"0123456789abcdef01234567"}\n\n' +
	':ok\n\n' +
	'event: spark/status\n' +
	'data: {"data":"online","ttl":60,"published_at":"2024-05-13T10:55:14.000Z","coreid":"e00fce68ece1d3d21a73dcc9","productID":30301}\n\n';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Feeds `text` cut at `cuts` (ascending offsets); returns every event. */
function feedCut(parser: SseParser, text: string, cuts: number[]): ServerSentEvent[] {
	const events: ServerSentEvent[] = [];
	let from = 0;
	for (const cut of [...cuts, text.length]) {
		events.push(...parser.push(text.slice(from, cut)));
		from = cut;
	}
	return events;
}

function feedInChunks(parser: SseParser, text: string, size: number): ServerSentEvent[] {
	const events: ServerSentEvent[] = [];
	for (let index = 0; index < text.length; index += size) events.push(...parser.push(text.slice(index, index + size)));
	return events;
}

/** Deterministic cut points, empty chunks included (mulberry32). */
function randomCuts(length: number, seed: number): number[] {
	let state = seed;
	const random = () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const cuts: number[] = [];
	for (let at = 0; at < length; ) {
		at += Math.floor(random() * 12);
		cuts.push(Math.min(at, length));
	}
	return cuts;
}

function overflowOf(work: () => unknown): SseOverflowError {
	try {
		work();
	} catch (error) {
		if (error instanceof SseOverflowError) return error;
		throw error;
	}
	throw new Error('expected an SseOverflowError');
}

/** `text` as the stream reader gets it: a flat string of its own, decoded from bytes. */
function decoded(text: string): string {
	return new TextDecoder().decode(new TextEncoder().encode(text));
}

/** A full collection, for a rough memory check; jest runs without --expose-gc. */
function collectGarbage(): void {
	setFlagsFromString('--expose-gc');
	(runInNewContext('gc') as () => void)();
}

/** Sample streams and what they must give, whatever the chunking. */
const samples: Array<{ name: string; text: string; events: ServerSentEvent[] }> = [
	{
		name: 'Particle events with keep-alives',
		text: particleStream,
		events: [
			{ event: 'temperature', data: '{"data":"25.34","ttl":60,"published_at":"2015-07-18T00:12:18.174Z","coreid":"0123456789abcdef01234567"}' },
			{ event: 'spark/status', data: '{"data":"online","ttl":60,"published_at":"2024-05-13T10:55:14.000Z","coreid":"e00fce68ece1d3d21a73dcc9","productID":30301}' },
		],
	},
	{
		name: 'multi-line data, comments, ignored fields, an event line without data, an empty data line',
		text: '\uFEFF: hello\nevent: a\ndata: one\ndata:two\nid: 7\nretry: 10\nx-unknown: ?\ndata\n\nevent: lonely\n\n\n\ndata:\n\nevent: b\ndata:  spaced: yes\n\n',
		events: [
			{ event: 'a', data: 'one\ntwo\n' },
			{ event: undefined, data: '' },
			{ event: 'b', data: ' spaced: yes' },
		],
	},
];

describe('SseParser', () => {
	it('parses Particle events and ignores :ok keep-alives', () => {
		const events = new SseParser().push(particleStream);
		expect(events.map((event) => event.event)).toEqual(['temperature', 'spark/status']);
		expect(JSON.parse(events[0].data)).toMatchObject({ data: '25.34', coreid: '0123456789abcdef01234567' });
	});

	it('gives the same events whatever the chunking, one byte at a time included', () => {
		const whole = new SseParser().push(particleStream);
		for (const size of [1, 2, 3, 7, 13, 64]) {
			const parser = new SseParser();
			const events = [];
			for (let index = 0; index < particleStream.length; index += size) events.push(...parser.push(particleStream.slice(index, index + size)));
			expect(events).toEqual(whole);
		}
	});

	describe.each(samples)('$name', ({ text, events }) => {
		const variants = { '\\n': text, '\\r\\n': text.replace(/\n/g, '\r\n'), '\\r': text.replace(/\n/g, '\r') };

		it.each(Object.entries(variants))('with %s line ends: whole, cut once anywhere, in fixed and in random chunks', (_, variant) => {
			expect(new SseParser().push(variant)).toEqual(events);
			for (let cut = 0; cut <= variant.length; cut++) expect(feedCut(new SseParser(), variant, [cut])).toEqual(events);
			for (let size = 1; size <= 17; size++) expect(feedInChunks(new SseParser(), variant, size)).toEqual(events);
			for (let seed = 1; seed <= 50; seed++) expect(feedCut(new SseParser(), variant, randomCuts(variant.length, seed))).toEqual(events);
		});

		it('cut twice anywhere (\\r\\n line ends)', () => {
			const crlf = variants['\\r\\n'];
			for (let first = 0; first <= crlf.length; first += 5) {
				for (let second = first; second <= crlf.length; second++) expect(feedCut(new SseParser(), crlf, [first, second])).toEqual(events);
			}
		});
	});

	it('accepts \\r\\n and lone \\r line ends, even split between chunks', () => {
		const crlf = particleStream.replace(/\n/g, '\r\n');
		const parser = new SseParser();
		const events = [...parser.push(crlf.slice(0, 37)), ...parser.push(crlf.slice(37))];
		expect(events.map((event) => event.event)).toEqual(['temperature', 'spark/status']);

		const split = new SseParser();
		expect(split.push('event: a\r')).toEqual([]);
		expect(split.push('\ndata: x\r')).toEqual([]);
		expect(split.push('\r')).toEqual([{ event: 'a', data: 'x' }]);
		expect(new SseParser().push('event: b\rdata: y\r\r')).toEqual([{ event: 'b', data: 'y' }]);
	});

	it('takes \\r, an empty chunk, then \\n as one line end', () => {
		const parser = new SseParser();
		expect(parser.push('data: x\r')).toEqual([]);
		expect(parser.push('')).toEqual([]);
		expect(parser.push('\n')).toEqual([]);
		expect(parser.push('\n')).toEqual([{ event: undefined, data: 'x' }]);
	});

	it('joins multi-line data and keeps colons inside values', () => {
		expect(new SseParser().push('event: multi\ndata: first\ndata:second\ndata:  third: x\n\n')).toEqual([
			{ event: 'multi', data: 'first\nsecond\n third: x' },
		]);
	});

	it('keeps an unfinished event until its blank line arrives', () => {
		const parser = new SseParser();
		expect(parser.push('event: late\ndata: {"data":"1"}\n')).toEqual([]);
		expect(parser.push('\n')).toEqual([{ event: 'late', data: '{"data":"1"}' }]);
	});

	it('forgets a half event on reset (a new connection)', () => {
		const parser = new SseParser();
		parser.push('event: cut\ndata: {"da');
		parser.reset();
		expect(parser.push('event: next\ndata: {}\n\n')).toEqual([{ event: 'next', data: '{}' }]);
	});

	it('does not dispatch an event line without data, and forgets its name', () => {
		const parser = new SseParser();
		expect(parser.push('event: nothing\n\n')).toEqual([]);
		const [event] = parser.push('data: later\n\n');
		expect(event.event).toBeUndefined();
		expect(event.data).toBe('later');
		expect(new SseParser().push('event: a\nid: 1\nretry: 5\n\n:ok\n\n\n')).toEqual([]);
	});

	it('dispatches an empty data line as empty data', () => {
		expect(new SseParser().push('event: ping\ndata:\n\n')).toEqual([{ event: 'ping', data: '' }]);
		expect(new SseParser().push('data\n\n')).toEqual([{ event: undefined, data: '' }]);
		expect(new SseParser().push('data: \ndata:\n\n')).toEqual([{ event: undefined, data: '\n' }]);
	});

	it('ignores id, retry and unknown fields, and keeps no last event id', () => {
		const parser = new SseParser();
		const [event] = parser.push('id: 42\nretry: 1000\nfoo: bar\nevent: e\ndata: d\n\n');
		expect(event).toStrictEqual({ event: 'e', data: 'd' });
		expect('lastId' in parser).toBe(false);
	});

	it('ignores a byte order mark at the very start of the stream only', () => {
		expect(new SseParser().push('\uFEFFdata: x\n\n')).toEqual([{ event: undefined, data: 'x' }]);

		const alone = new SseParser();
		expect(alone.push('')).toEqual([]);
		expect(alone.push('\uFEFF')).toEqual([]);
		expect(alone.push('event: a\ndata: x\n\n')).toEqual([{ event: 'a', data: 'x' }]);

		// Later, U+FEFF is an ordinary character: here it makes the field name unknown, so the line is ignored.
		const later = new SseParser();
		expect(later.push('data: a\n\n\uFEFFdata: b\n\n')).toEqual([{ event: undefined, data: 'a' }]);
		expect(later.push('\uFEFFdata: c\n\n')).toEqual([]);
		expect(new SseParser().push('data: \uFEFFd\n\n')).toEqual([{ event: undefined, data: '\uFEFFd' }]);

		// reset() starts a new stream, which may start with a byte order mark again.
		later.reset();
		expect(later.push('\uFEFFdata: again\n\n')).toEqual([{ event: undefined, data: 'again' }]);
	});

	it('rejects a limit that is not a positive integer', () => {
		for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new SseParser({ limit })).toThrow(RangeError);
		expect(DEFAULT_SSE_LIMIT).toBe(1_048_576);
	});

	describe('limits', () => {
		it('throws on a 16 MiB line fed in 1 KiB chunks after about 1 MiB, holding no more than the limit', () => {
			const parser = new SseParser();
			const piece = 'x'.repeat(KiB);
			let fed = 0;
			let mostHeld = 0;
			const error = overflowOf(() => {
				parser.push('data: ');
				fed += 6;
				while (fed < 16 * MiB) {
					parser.push(piece);
					fed += KiB;
					mostHeld = Math.max(mostHeld, parser.stats.buffered);
				}
			});
			expect(error.limit).toBe(MiB);
			expect(error.kind).toBe('line');
			expect(error.message).toBe('Particle event stream sent a line longer than 1 MiB; dropping the connection');
			// The chunk that crossed the limit was refused, not buffered.
			expect(fed).toBeGreaterThan(MiB - KiB);
			expect(fed).toBeLessThanOrEqual(MiB);
			expect(mostHeld).toBe(fed);
			expect(parser.stats.buffered).toBe(0);
		});

		it('holds about the limit, in memory too, while a long line arrives', () => {
			collectGarbage();
			const before = process.memoryUsage().heapUsed;
			const parser = new SseParser();
			parser.push('data: ');
			for (let fed = 6; fed + KiB <= MiB; fed += KiB) parser.push(decoded('x'.repeat(KiB)));
			collectGarbage();
			const held = process.memoryUsage().heapUsed - before;
			expect(parser.stats.buffered).toBeLessThanOrEqual(MiB);
			// One-byte text: about 1 MB, plus bookkeeping; rough on purpose.
			expect(held).toBeLessThan(4 * MiB);
			expect(() => parser.push('x'.repeat(KiB))).toThrow(SseOverflowError);
		});

		it('throws on an oversized line that arrives in one chunk, without looking at all of it twice', () => {
			const parser = new SseParser();
			const chunk = `data: ${'x'.repeat(16 * MiB)}`;
			expect(overflowOf(() => parser.push(chunk)).kind).toBe('line');
			expect(parser.stats.scanned).toBeLessThanOrEqual(2 * chunk.length);
			expect(parser.stats.buffered).toBe(0);
		});

		it('throws on an event made of many short data lines, each under the limit', () => {
			const parser = new SseParser();
			const line = `data: ${'y'.repeat(1000)}\n`;
			const stream = line.repeat(Math.ceil((2 * MiB) / line.length));
			let mostHeld = 0;
			const error = overflowOf(() => {
				for (let index = 0; index < stream.length; index += KiB) {
					parser.push(stream.slice(index, index + KiB));
					mostHeld = Math.max(mostHeld, parser.stats.buffered);
				}
			});
			expect(error.kind).toBe('event');
			expect(error.limit).toBe(MiB);
			expect(error.message).toBe('Particle event stream sent an event larger than 1 MiB; dropping the connection');
			// The event's data up to the limit plus at most one line in progress.
			expect(mostHeld).toBeLessThanOrEqual(MiB + line.length);
		});

		it('accepts a line and an event exactly at the limit, whatever the chunking, and not one character more', () => {
			const limit = 64;
			const lineAtLimit = `data: ${'a'.repeat(limit - 6)}\n\n`;
			const commentAtLimit = `:${'c'.repeat(limit - 1)}\ndata: ok\n\n`;
			// 'bb' and 31 one-character lines, joined with 31 \n: 64 characters of data; then one more.
			const eventAtLimit = `data: bb\n${'data: b\n'.repeat(31)}\n`;
			const eventOverLimit = `data: bbb\n${'data: b\n'.repeat(31)}\n`;
			for (let size = 1; size <= 20; size++) {
				expect(feedInChunks(new SseParser({ limit }), lineAtLimit, size)).toEqual([{ event: undefined, data: 'a'.repeat(limit - 6) }]);
				expect(feedInChunks(new SseParser({ limit }), commentAtLimit, size)).toEqual([{ event: undefined, data: 'ok' }]);
				expect(feedInChunks(new SseParser({ limit }), eventAtLimit, size)[0].data).toHaveLength(limit);
				expect(overflowOf(() => feedInChunks(new SseParser({ limit }), `data: ${'a'.repeat(limit - 5)}\n\n`, size)).kind).toBe('line');
				expect(overflowOf(() => feedInChunks(new SseParser({ limit }), `:${'c'.repeat(limit)}\n`, size)).kind).toBe('line');
				expect(overflowOf(() => feedInChunks(new SseParser({ limit }), eventOverLimit, size)).kind).toBe('event');
			}
			expect(new SseOverflowError(1000, 'line').message).toBe('Particle event stream sent a line longer than 1000 characters; dropping the connection');
			expect(new SseOverflowError(16 * KiB, 'event').message).toContain('larger than 16 KiB');
		});

		it('does not keep large chunks alive through many short data lines cut from them', () => {
			const padding = `:${'p'.repeat(256 * KiB)}\n`;
			collectGarbage();
			const before = process.memoryUsage().heapUsed;
			const parser = new SseParser();
			// 200 chunks of 256 KiB, each adding a 20-character data line to the same, unfinished event.
			for (let index = 0; index < 200; index++) parser.push(decoded(`${padding}data: line ${String(index).padStart(10, '0')}\n`));
			collectGarbage();
			const held = process.memoryUsage().heapUsed - before;
			expect(parser.stats.buffered).toBeLessThan(5000);
			// Holding every chunk would be about 50 MB.
			expect(held).toBeLessThan(8 * MiB);
			expect(parser.push('\n')[0].data.split('\n')).toHaveLength(200);
		});

		it('hands over the events completed before the overflow in the same chunk', () => {
			const parser = new SseParser({ limit: 32 });
			const error = overflowOf(() => parser.push(`data: one\n\ndata: two\n\ndata: ${'z'.repeat(40)}\n\n`));
			expect(error.events).toEqual([
				{ event: undefined, data: 'one' },
				{ event: undefined, data: 'two' },
			]);
		});

		it('refuses every chunk after an overflow until reset(), then parses again', () => {
			const parser = new SseParser({ limit: 16 });
			expect(() => parser.push('data: this line is too long\n\n')).toThrow(SseOverflowError);
			const again = overflowOf(() => parser.push('data: ok\n\n'));
			expect(again.kind).toBe('line');
			expect(again.events).toEqual([]);
			parser.reset();
			expect(parser.push('\uFEFFdata: ok\n\n')).toEqual([{ event: undefined, data: 'ok' }]);
			expect(parser.stats.buffered).toBe(0);
		});
	});

	describe('work', () => {
		/** Valid events, some with lines far longer than a chunk (where rescanning used to cost the most). */
		function validStream(chars: number): { text: string; events: number } {
			const parts: string[] = [];
			let length = 0;
			let events = 0;
			for (let index = 0; length < chars; index++) {
				const data = index % 50 === 49 ? 'L'.repeat(256 * KiB) : JSON.stringify({ data: String(index), ttl: 60, coreid: 'e00fce68ece1d3d21a73dcc9' });
				const event = index % 3 === 0 ? `:ok\n\nevent: e${index}\r\ndata: ${data}\r\n\r\n` : `event: e${index}\ndata: ${data}\n\n`;
				parts.push(event);
				length += event.length;
				events++;
			}
			return { text: parts.join(''), events };
		}

		it('looks at each character of 8 MiB of events in 1 KiB chunks at most twice', () => {
			const { text, events } = validStream(8 * MiB);
			const parser = new SseParser();
			let count = 0;
			for (let index = 0; index < text.length; index += KiB) count += parser.push(text.slice(index, index + KiB)).length;
			expect(count).toBe(events);
			expect(parser.stats.scanned).toBeLessThanOrEqual(2 * text.length);
			expect(parser.stats.buffered).toBe(0);
		});

		it('looks at a line just under the limit, fed in 1 KiB chunks, at most twice per character', () => {
			const text = `data: ${'x'.repeat(MiB - 6)}\n\n`;
			const parser = new SseParser();
			expect(feedInChunks(parser, text, KiB)).toHaveLength(1);
			expect(parser.stats.scanned).toBeLessThanOrEqual(2 * text.length);
		});
	});
});

describe('toParticleEvent', () => {
	it('takes the name from the event line and the fields from the JSON', () => {
		const [event] = new SseParser().push(particleStream.split(':ok\n\n')[1]);
		expect(toParticleEvent(event, false)).toEqual({
			name: 'temperature',
			data: '25.34',
			ttl: 60,
			published_at: '2015-07-18T00:12:18.174Z',
			coreid: '0123456789abcdef01234567',
		});
	});

	it('parses the data as JSON only when asked and when it parses', () => {
		const sse = { event: 'reading', data: JSON.stringify({ data: '{"t":21.5}', coreid: 'x', published_at: 'p' }) };
		expect(toParticleEvent(sse, true)?.data).toEqual({ t: 21.5 });
		expect(toParticleEvent(sse, false)?.data).toBe('{"t":21.5}');
		expect(toParticleEvent({ event: 'r', data: JSON.stringify({ data: 'not json' }) }, true)?.data).toBe('not json');
	});

	it('keeps data that is not JSON at all as text, and keeps extra fields', () => {
		expect(toParticleEvent({ event: 'raw', data: 'hello' }, true)).toMatchObject({ name: 'raw', data: 'hello', coreid: null });
		expect(toParticleEvent({ event: 'p', data: '{"data":"1","productID":7,"userid":"u"}' }, false)).toMatchObject({ productID: 7, userid: 'u' });
	});

	it('takes the name from the JSON when there is no event line, and drops nameless events', () => {
		expect(toParticleEvent({ data: '{"name":"from-json","data":"1"}' }, false)?.name).toBe('from-json');
		expect(toParticleEvent({ data: '{"data":"1"}' }, false)).toBeUndefined();
	});
});

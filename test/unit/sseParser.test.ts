import { SseParser, toParticleEvent } from '../../nodes/shared/sseParser';

const particleStream =
	':ok\n\n' +
	'event: temperature\n' +
	'data: {"data":"25.34","ttl":60,"published_at":"2015-07-18T00:12:18.174Z","coreid":"0123456789abcdef01234567"}\n\n' +
	':ok\n\n' +
	'event: spark/status\n' +
	'data: {"data":"online","ttl":60,"published_at":"2024-05-13T10:55:14.000Z","coreid":"e00fce68ece1d3d21a73dcc9","productID":30301}\n\n';

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

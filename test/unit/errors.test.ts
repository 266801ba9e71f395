import { describeFailure, particleText, redactSecrets } from '../../nodes/shared/errors';

describe('error descriptions', () => {
	it("uses Particle's own words from either body shape", () => {
		expect(particleText({ error: 'invalid_token', error_description: 'The access token provided is invalid.' })).toBe(
			'The access token provided is invalid.: invalid_token',
		);
		expect(particleText({ ok: false, error: 'Variable not found' })).toBe('Variable not found');
		expect(particleText({ error: 'bad_request', description: 'start_date must be ISO8601' })).toBe(
			'bad_request: start_date must be ISO8601',
		);
		expect(particleText('')).toBeUndefined();
		expect(particleText(null)).toBeUndefined();
	});

	it.each([
		[400, /rejected the request/, 'configuration-invalid'],
		[401, /did not accept the access token/, 'credential-invalid'],
		[403, /not allowed/, 'configuration-invalid'],
		[404, /could not find/, 'configuration-invalid'],
		[408, /did not answer in time/, 'temporarily-unavailable'],
		[429, /rate limiting/, 'rate-limited'],
		[500, /failed to handle/, 'temporarily-unavailable'],
		[503, /failed to handle/, 'temporarily-unavailable'],
	])('maps %i to a message, a next step and a cause', (status, message, cause) => {
		const text = describeFailure({ method: 'GET', status, retries: 0, body: { ok: false, error: 'why' } });
		expect(text.message).toMatch(message);
		expect(text.message).toMatch(/: why$/);
		expect(text.description.length).toBeGreaterThan(20);
		expect(text.cause).toBe(cause);
	});

	it('tells the user a write was not sent again after a 5xx, a 408 or a reset', () => {
		for (const failure of [
			{ method: 'POST', status: 500, retries: 0 },
			{ method: 'POST', status: 408, retries: 0 },
			{ method: 'POST', networkCode: 'ECONNRESET', retries: 0 },
		]) {
			expect(describeFailure(failure).description).toMatch(/not sent again/);
		}
	});

	it('removes anything that looks like a token', () => {
		const token = 'a'.repeat(40);
		expect(redactSecrets(`bad token ${token}`)).toBe('bad token [redacted]');
		expect(redactSecrets('GET /v1/devices?access_token=xyz&x=1')).toBe('GET /v1/devices?access_token=[redacted]&x=1');
		expect(particleText({ error: `token ${token} expired` })).toBe('token [redacted] expired');
	});

	it('redacts before it cuts, so no part of a token survives past the cut (was: cut at 300, then redacted)', () => {
		const token = 'b'.repeat(40);
		// The token straddles the 300-character cut: cutting first leaves 30 hex characters the pattern misses.
		const words = particleText({ error: `${'x'.repeat(290)} ${token}` });
		expect(words).not.toMatch(/bbbb/);
		expect(words?.length).toBeLessThanOrEqual(300);
	});

	it.each([
		['Bearer', 'Authorization: Bearer abc.DEF-123_x refused', 'Authorization: Bearer [redacted] refused'],
		['Basic', 'sent Basic Y2xpZW50OnNlY3JldA== to the proxy', 'sent Basic [redacted] to the proxy'],
		['a JSON secret', '{"client_secret":"s3cr3t","ok":false}', '{"client_secret":"[redacted]","ok":false}'],
		['a form password', 'username=a@b.c&password=hunter2&x=1', 'username=a@b.c&password=[redacted]&x=1'],
	])('redacts %s', (_name, text, expected) => {
		expect(redactSecrets(text)).toBe(expected);
	});

	it('says where a redirect pointed and that it was not followed', () => {
		const text = describeFailure({ method: 'GET', status: 307, retries: 0, redirectOrigin: 'http://127.0.0.1:9' });
		expect(text.message).toMatch(/redirect \(HTTP 307 to http:\/\/127\.0\.0\.1:9\).*does not follow/);
		expect(text.cause).toBe('configuration-invalid');
	});

	it('tells the truth about a 429 it gave up on', () => {
		const tooLong = describeFailure({ method: 'GET', status: 429, retries: 0, retryAfter: '3600' });
		expect(tooLong.description).toMatch(/asked to wait 3600 s, longer than the 60 s n8n waits, so it was not sent again/);
		expect(tooLong.description).not.toMatch(/Waited as Particle asked/);
		const exhausted = describeFailure({ method: 'GET', status: 429, retries: 5, retryAfter: '1' });
		expect(exhausted.description).toMatch(/Waited as Particle asked and sent it 5 more times; Particle still refused it/);
		const noHeader = describeFailure({ method: 'GET', status: 429, retries: 5 });
		expect(noHeader.description).toMatch(/growing pause/);
		const once = describeFailure({ method: 'GET', status: 529, retries: 0 });
		expect(once.description).toMatch(/^It was not sent again/);
	});

	it("names the OAuth client's token exchange, not the access token, when the exchange failed", () => {
		const refused = describeFailure({ method: 'GET', status: 401, retries: 0, tokenExchange: 'Particle refused the product OAuth client (HTTP 401, invalid_client)' });
		expect(refused.message).toMatch(/refused the product OAuth client/);
		expect(refused.cause).toBe('credential-invalid');
		const down = describeFailure({ method: 'GET', status: 503, retries: 0, tokenExchange: 'Particle refused the product OAuth client (HTTP 503)' });
		expect(down.cause).toBe('temporarily-unavailable');
	});
});

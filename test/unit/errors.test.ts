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
});

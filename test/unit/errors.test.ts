import { describeFailure, lookedUp, particleText, redactSecrets, wantsDeviceState, type ParticleFailure } from '../../nodes/shared/errors';

describe('error descriptions', () => {
	it("uses Particle's own words from either body shape", () => {
		expect(particleText({ error: 'invalid_token', error_description: 'The access token provided is invalid.' })).toBe(
			'The access token provided is invalid: invalid_token',
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
		[404, /could not find it/, 'configuration-invalid'],
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

describe('one punctuation mark between Particle\'s words (was "is invalid.: invalid_token")', () => {
	it.each([
		[{ error_description: 'The access token provided is invalid.', error: 'invalid_token' }, 'The access token provided is invalid: invalid_token'],
		[{ error_description: 'Bad thing:', error: 'bad' }, 'Bad thing: bad'],
		[{ error_description: 'Really?', error: 'why' }, 'Really? why'],
		[{ error: 'bad_request', description: 'start_date must be ISO8601.' }, 'bad_request: start_date must be ISO8601.'],
	])('%j reads %s', (body, expected) => {
		expect(particleText(body)).toBe(expected);
	});
});

describe('what a 404 looked up, from the path', () => {
	const id = '0123456789abcdef01234567';
	it.each([
		['GET', `/v1/devices/${id}`, undefined, 'device', `device ${id}`],
		['GET', `/v1/devices/${id}/temperature`, 'Variable not found', 'variable', `variable "temperature" on device ${id}`],
		['POST', `/v1/devices/${id}/set%20Color`, 'Function set Color not found', 'function', `function "set Color" on device ${id}`],
		['PUT', `/v1/devices/${id}/ping`, undefined, 'device', `device ${id}`],
		['GET', `/v1/products/my-product-1/devices/${id}/temp`, 'Product not found.', 'product', 'product my-product-1'],
		['GET', `/v1/products/12/devices/${id}/temp`, 'Device not found.', 'device', `device ${id} in product 12`],
		['GET', `/v1/products/12/devices/${id}/temp`, 'Variable not found', 'variable', `variable "temp" on device ${id}`],
		['GET', '/v1/products/12', undefined, 'product', 'product 12'],
		['DELETE', '/v1/products/12/customers/a%40b.c', 'Customer not found', 'customer', 'customer "a@b.c" in product 12'],
		['GET', '/v1/sims/8934076500002589174/data_usage', undefined, 'sim', 'SIM 8934076500002589174'],
		['GET', '/v1/products/12/sims/89340', 'SIM not found', 'sim', 'SIM 89340 in product 12'],
		['GET', '/v1/orgs/acme/products', 'Organization not found', 'organization', 'organization "acme"'],
		['DELETE', '/v1/integrations/5f1', 'Integration not found', 'integration', 'integration 5f1'],
		['GET', '/v1/products/12/webhooks/5f1', undefined, 'integration', 'integration 5f1 in product 12'],
		['PUT', '/v1/orgs/acme/team/bot%2Bx%40api.particle.io', 'User not found', 'teamMember', 'team member "bot+x@api.particle.io" in organization "acme"'],
		['GET', `/v1/diagnostics/${id}/last`, undefined, 'device', `device ${id}`],
		['GET', '/v1/user/usage_reports/7', 'Usage report not found', 'usageReport', 'usage report 7'],
		['GET', '/v1/orgs/acme/service_agreements/3/notifications', 'Service agreement not found', 'serviceAgreement', 'service agreement 3 in organization "acme"'],
		['GET', '/v1/serial_numbers/E40QAB123', undefined, 'serialNumber', 'serial number E40QAB123'],
	])('%s %s (%s) is about the %s', (method, path, words, kind, subject) => {
		const found = lookedUp(method, path, words);
		expect([found.kind, found.subject]).toEqual([kind, subject]);
	});

	it('fits the hint to the case', () => {
		expect(lookedUp('GET', `/v1/devices/${id}/Temp`, 'Variable not found').hint).toBe(
			'The device is online but has not registered a variable "Temp"; names are case-sensitive. Device > Get lists the variables it has registered.',
		);
		// Without Particle's words naming the variable, nothing says the device is online.
		expect(lookedUp('GET', `/v1/devices/${id}/Temp`).hint).toMatch(/^The device has not registered a variable "Temp"/);
		expect(lookedUp('POST', `/v1/devices/${id}/led`, 'Function led not found').hint).toMatch(/^The device is online but has not registered a function "led"/);
		expect(lookedUp('GET', '/v1/products/12/devices', 'Product not found.').hint).toBe(
			"Check the product ID or slug, and that this token's account is on the product's team.",
		);
		expect(lookedUp('GET', '/v1/devices').subject).toBe('it');
	});

	it('says so in the message and the description', () => {
		const text = describeFailure({ method: 'GET', path: `/v1/products/12/devices/${id}`, status: 404, retries: 0, body: { ok: false, error: 'Product not found.' } });
		expect(text.message).toBe('Particle could not find the product 12: Product not found.');
		expect(text.description).toMatch(/product ID or slug/);
		expect(describeFailure({ method: 'GET', status: 404, retries: 0 }).message).toBe('Particle could not find it');
	});
});

describe('a device call to an offline device', () => {
	const id = '0123456789abcdef01234567';
	const offline = (body: unknown, extra: Partial<ParticleFailure> = {}): ParticleFailure => ({
		method: 'POST',
		path: `/v1/devices/${id}/led`,
		status: 404,
		retries: 0,
		body,
		...extra,
	});

	it.each([
		['the reference\'s sentence', { ok: false, error: 'The device you requested is not currently connected to the cloud.' }],
		['the older "Device is not connected"', { ok: false, error: 'Device is not connected' }],
	])('is recognised from %s', (_name, body) => {
		const text = describeFailure(offline(body, { deviceState: { read: true, online: false, lastHeard: '2026-01-02T03:04:05.000Z', name: 'lamp' } }));
		expect(text.message).toMatch(/^Device "lamp" is offline, so Particle could not call its function "led": /);
		expect(text.description).toBe(
			'Particle last heard from it at 2026-01-02T03:04:05.000Z. The call was not sent again. Wait for the device to come online, or use the Particle Trigger\'s "Device Came Online" event to run this when it does.',
		);
		expect(text.cause).toBe('temporarily-unavailable');
	});

	it('is recognised from the device read alone (online false) when the words do not say it', () => {
		const text = describeFailure({ ...offline(undefined), method: 'GET', path: `/v1/devices/${id}/temp`, deviceState: { read: true, online: false, lastHeard: null } });
		expect(text.message).toBe(`Device ${id} is offline, so Particle could not read its variable "temp"`);
		expect(text.description).toMatch(/^Particle has no record of hearing from it\. The read was not sent again\./);
	});

	it('says when the device could not be read, without a time', () => {
		const text = describeFailure(offline({ ok: false, error: 'Device is not connected' }, { deviceState: { read: false, reason: 'HTTP 403' } }));
		expect(text.description).toMatch(/^n8n could not read when Particle last heard from it \(HTTP 403\)\. The call was not sent again\./);
		expect(text.description).not.toMatch(/last heard from it at/);
	});

	it('says a device Particle still lists as online lost its connection', () => {
		const text = describeFailure(offline({ ok: false, error: 'Device is not connected' }, { deviceState: { read: true, online: true, lastHeard: '2026-01-02T03:04:05.000Z' } }));
		expect(text.description).toMatch(/still lists it as online/);
	});

	it('a 408 says when it was last heard, and that it was not sent again', () => {
		const text = describeFailure({ ...offline({ ok: false, error: 'Timed out.' }), status: 408, deviceState: { read: true, online: true, lastHeard: '2026-01-02T03:04:05.000Z' } });
		expect(text.message).toBe('The device did not answer in time: Timed out.');
		expect(text.description).toMatch(/Particle last heard from it at 2026-01-02T03:04:05\.000Z\. It was not sent again: the device may already have acted/);
	});

	it('asks for a read of the device only when it can tell something', () => {
		expect(wantsDeviceState(offline({ ok: false, error: 'Device is not connected' }))).toBe(true);
		expect(wantsDeviceState(offline({ ok: false, error: 'The device you requested is not currently connected to the cloud.' }))).toBe(true);
		expect(wantsDeviceState(offline(undefined))).toBe(true);
		expect(wantsDeviceState({ ...offline(undefined), status: 408 })).toBe(true);
		expect(wantsDeviceState(offline({ ok: false, error: 'Variable not found' }))).toBe(false);
		expect(wantsDeviceState(offline({ ok: false, error: 'Function led not found' }))).toBe(false);
		expect(wantsDeviceState(offline({ ok: false, error: 'Device not found.' }))).toBe(false);
		expect(wantsDeviceState({ ...offline(undefined), status: 500 })).toBe(false);
	});
});

describe('an API user without the scope, and hints from the transport', () => {
	it('reads a 400 "unauthorized" as a refused scope, not as a bad request', () => {
		const text = describeFailure({
			method: 'GET',
			retries: 0,
			status: 400,
			body: { ok: false, error: 'unauthorized', error_description: 'This endpoint requires the sims:list scope' },
		});
		expect(text.message).toBe('The Particle token is not allowed to do this: This endpoint requires the sims:list scope: unauthorized');
		expect(text.description).toMatch(/add the missing scope/);
		expect(text.cause).toBe('configuration-invalid');
	});

	it('keeps any other 400 a bad request', () => {
		const text = describeFailure({ method: 'POST', retries: 0, status: 400, body: { ok: false, error: 'Invalid argument' } });
		expect(text.message).toBe('Particle rejected the request as invalid: Invalid argument');
	});

	it("adds the transport's hint after the description", () => {
		const text = describeFailure({
			method: 'GET',
			retries: 0,
			status: 403,
			body: { error: 'access_denied' },
			hint: 'This OAuth client may be scoped to customers:create.',
		});
		expect(text.description.endsWith(' This OAuth client may be scoped to customers:create.')).toBe(true);
	});
});

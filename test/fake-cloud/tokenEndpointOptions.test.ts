/** The fake's knobs for the token endpoint's limits: a start option and a method, over Particle's documented limits. */
import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call } from './helpers';

let cloud: FakeCloud;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 0, productDevices: 1, now: Date.parse('2026-03-01T00:00:00.000Z'), tokenEndpoint: { maxRequests: 2 } });
});
afterAll(() => cloud.close());

const exchange = async (secret = cloud.productClient.clientSecret): Promise<number> =>
	(await call(cloud, 'POST', '/oauth/token', { form: { grant_type: 'client_credentials', client_id: cloud.productClient.clientId, client_secret: secret } })).status;

test('tokenEndpoint at start and setTokenEndpointLimits() later change only what they name', async () => {
	// Started with 2 per window instead of 100.
	expect([await exchange(), await exchange(), await exchange()]).toEqual([200, 200, 429]);
	cloud.setTokenEndpointLimits({ maxRequests: 3 });
	expect([await exchange(), await exchange()]).toEqual([200, 429]);
	// The window is still the documented 5 minutes: the first requests leave it then, not before.
	cloud.advanceClock(5 * 60_000 - 1_000);
	expect(await exchange()).toBe(429);
	cloud.advanceClock(2_000);
	expect(await exchange()).toBe(200);
	// And the block after failures in a row, when tightened, applies at once: 2 failures block the address.
	cloud.setTokenEndpointLimits({ maxRequests: 100, maxConsecutiveFailures: 2 });
	expect([await exchange('wrong'), await exchange('wrong'), await exchange()]).toEqual([401, 401, 429]);
});

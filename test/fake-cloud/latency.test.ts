/**
 * The fake's device-call latency (fake-cloud/latency.ts): log-normal round trips with the asked median and p95, seeded
 * per device and call, exact shares of offline and slow devices; over HTTP, offline answered at once (404), slow after
 * the cloud's timeout (408), the others after their drawn time, and calls that do not reach a device unaffected.
 */
import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { applyDeviceLatency, DeviceLatency, removeDeviceLatency } from '../../fake-cloud/latency';
import { call } from './helpers';

/** Nearest-rank percentile. */
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

describe('DeviceLatency (pure)', () => {
	it('draws a log-normal with the asked median and 95th percentile', () => {
		const latency = new DeviceLatency({ seed: 5 });
		const draws = Array.from({ length: 20_000 }, (_, index) => latency.drawMs(`device-${index}`, 0));
		expect(percentile(draws, 50)).toBeGreaterThan(285);
		expect(percentile(draws, 50)).toBeLessThan(315);
		expect(percentile(draws, 95)).toBeGreaterThan(1400);
		expect(percentile(draws, 95)).toBeLessThan(1600);
		// A log-normal's mean lies above its median: exp(sigma^2 / 2) = 1.61x here.
		const mean = draws.reduce((sum, ms) => sum + ms, 0) / draws.length;
		expect(mean / 300).toBeGreaterThan(1.5);
		expect(mean / 300).toBeLessThan(1.72);
	});

	it('gives the same time for the same seed, device and call, whatever the order; another seed, other times', () => {
		const a = new DeviceLatency({ seed: 9 });
		const b = new DeviceLatency({ seed: 9 });
		const forward = ['x', 'y', 'z'].map((id) => a.nextCall(id).ms);
		const backward = ['z', 'y', 'x'].map((id) => b.nextCall(id).ms).reverse();
		expect(forward).toEqual(backward);
		// The second call to a device is its own draw; reset() replays from the first.
		const second = a.nextCall('x').ms;
		a.reset();
		expect(a.nextCall('x').ms).toBe(forward[0]);
		expect(second).toBe(Math.round(a.drawMs('x', 1)));
		const other = new DeviceLatency({ seed: 10 });
		expect(['x', 'y', 'z'].map((id) => other.nextCall(id).ms)).not.toEqual(forward);
	});

	it('turns a draw beyond the cloud timeout into a 408 at the timeout', () => {
		const latency = new DeviceLatency({ seed: 2, cloudTimeoutMs: 1000 });
		const calls = Array.from({ length: 2000 }, (_, index) => latency.nextCall(`d${index}`));
		const timedOut = calls.filter((trip) => trip.timedOut);
		// P(X > 1 s) = P(Z > ln(1000 / 300) / 0.978) = 10.9 %.
		expect(timedOut.length / calls.length).toBeGreaterThan(0.09);
		expect(timedOut.length / calls.length).toBeLessThan(0.13);
		expect(timedOut.every((trip) => trip.ms === 1000)).toBe(true);
		expect(calls.filter((trip) => !trip.timedOut).every((trip) => trip.ms <= 1000)).toBe(true);
	});

	it('chooses exact shares of offline and slow devices, by seed and not by listing order', () => {
		const devices = Array.from({ length: 1000 }, (_, index) => ({ id: `device-${String(index).padStart(4, '0')}` })) as never[];
		const latency = new DeviceLatency({ seed: 4 });
		const { offline, slow } = latency.choose(devices);
		expect(offline).toHaveLength(20);
		expect(slow).toHaveLength(10);
		const again = latency.choose([...devices].reverse());
		expect(again.offline.map((d: { id: string }) => d.id)).toEqual(offline.map((d: { id: string }) => d.id));
		expect(new Set([...offline, ...slow]).size).toBe(30);
	});

	it('refuses options that make no distribution', () => {
		expect(() => new DeviceLatency({ medianMs: 0 })).toThrow(RangeError);
		expect(() => new DeviceLatency({ medianMs: 500, p95Ms: 100 })).toThrow(RangeError);
		expect(() => new DeviceLatency({ offlineFraction: 0.7, slowFraction: 0.5 })).toThrow(RangeError);
	});
});

describe('device latency over HTTP', () => {
	let cloud: FakeCloud;
	let latency: DeviceLatency;
	let token: string;
	beforeAll(async () => {
		cloud = await startFakeCloud({ devices: 100, seed: 8 });
		token = cloud.tokens.user;
		// Fast enough for a test: median 40 ms, p95 200 ms, timeout 1.5 s; 5 % offline, 5 % slow.
		latency = applyDeviceLatency(cloud.fleet, { seed: 3, medianMs: 40, p95Ms: 200, offlineFraction: 0.05, slowFraction: 0.05, cloudTimeoutMs: 1500 }, cloud.fleet.sandboxDevices());
	});
	afterAll(() => cloud.close());

	const timedCall = async (id: string) => {
		const started = Date.now();
		const result = await call(cloud, 'POST', `/v1/devices/${id}/led`, { token, json: { arg: 'on' } });
		return { status: result.status, body: result.body, ms: Date.now() - started };
	};

	it('puts the chosen devices offline and slow, the rest online', () => {
		const devices = cloud.fleet.sandboxDevices();
		expect(devices.filter((device) => !device.online)).toHaveLength(5);
		expect(devices.filter((device) => device.slowDelayMs === 1500)).toHaveLength(5);
		expect(devices.filter((device) => device.online && device.slowDelayMs === null)).toHaveLength(90);
	});

	it('answers an offline device at once with 404, a slow one with 408 after the timeout, the others after their draw', async () => {
		const devices = cloud.fleet.sandboxDevices();
		const offline = devices.find((device) => !device.online)!;
		const slow = devices.find((device) => device.slowDelayMs !== null)!;
		const normal = devices.filter((device) => device.online && device.slowDelayMs === null).slice(0, 6);

		const offlineCall = await timedCall(offline.id);
		expect(offlineCall.status).toBe(404);
		// At once: far below the 1.5 s a slow device costs (a loaded machine may add a little).
		expect(offlineCall.ms).toBeLessThan(500);

		const slowCall = await timedCall(slow.id);
		expect(slowCall.status).toBe(408);
		expect(slowCall.body).toEqual({ ok: false, error: 'Timed out.' });
		expect(slowCall.ms).toBeGreaterThanOrEqual(1490);

		latency.reset();
		const expected = normal.map((device) => latency.nextCall(device.id));
		latency.reset();
		const calls = await Promise.all(normal.map((device) => timedCall(device.id)));
		calls.forEach((result, index) => {
			const trip = expected[index];
			expect(result.status).toBe(trip.timedOut ? 408 : 200);
			// Lower bounds only: load can slow a call, never speed it up (2 ms of timer slack).
			expect(result.ms).toBeGreaterThanOrEqual(trip.ms - 2);
		});
	});

	it('leaves calls that do not reach a device alone: the device list and a device read draw no round trip', async () => {
		const device = cloud.fleet.sandboxDevices().find((candidate) => candidate.online && candidate.slowDelayMs === null)!;
		latency.reset();
		expect((await call(cloud, 'GET', '/v1/devices', { token })).status).toBe(200);
		expect((await call(cloud, 'GET', `/v1/devices/${device.id}`, { token })).status).toBe(200);
		// The device's next call is still its first draw.
		expect(latency.nextCall(device.id).ms).toBe(Math.round(latency.drawMs(device.id, 0)));
	});

	it('answers at once again when taken off', async () => {
		removeDeviceLatency(cloud.fleet);
		const device = cloud.fleet.sandboxDevices().find((candidate) => candidate.online && candidate.slowDelayMs === null)!;
		latency.reset();
		const result = await timedCall(device.id);
		expect(result.status).toBe(200);
		// The model was not asked: the device's next draw is still its first.
		expect(latency.nextCall(device.id).ms).toBe(Math.round(latency.drawMs(device.id, 0)));
	});
});

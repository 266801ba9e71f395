/** The scripted fleet life: repeatable steps that change online state, vitals and events, bounded and stoppable. */
import { startFakeCloud, type FakeCloud, type FleetEvent } from '../../fake-cloud';
import { DEFAULT_CHANGE_EVERY_MS, DEFAULT_READING_EVERY_MS } from '../../fake-cloud/script';

let cloud: FakeCloud;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 4, productDevices: 4 });
});
afterAll(() => cloud.close());

it('changes the fleet step by step, the same way for the same seed, and stops after maxSteps', async () => {
	const events: FleetEvent[] = [];
	cloud.fleet.events.on('event', (event) => events.push(event));
	const script = cloud.startFleetScript({ everyMs: 60_000, maxSteps: 40, seed: 3 });
	for (let step = 0; step < 50; step++) script.step();
	script.stop();

	expect(script.steps).toBe(40);
	const kinds = new Set(script.log.map((entry) => entry.step));
	expect(kinds).toEqual(new Set(['offline', 'online', 'vitals', 'publish']));
	expect(events.map((event) => event.name)).toEqual(expect.arrayContaining(['spark/status', 'spark/device/diagnostics/update', 'demo/temperature']));

	const again = await startFakeCloud({ devices: 4, productDevices: 4 });
	try {
		const twin = again.startFleetScript({ everyMs: 60_000, maxSteps: 40, seed: 3 });
		for (let step = 0; step < 40; step++) twin.step();
		twin.stop();
		expect(twin.log.map((entry) => entry.step)).toEqual(script.log.map((entry) => entry.step));
	} finally {
		await again.close();
	}
});

it('publishes only from online devices and never takes a steady device offline', () => {
	const steady = cloud.fleet.sandboxDevices().find((device) => device.online);
	if (!steady) throw new Error('the seeded fleet has an online sandbox device');
	const script = cloud.startFleetScript({ everyMs: 60_000, steady: [steady.id], seed: 9 });
	const publishers: boolean[] = [];
	const onEvent = (event: FleetEvent): void => {
		if (event.name === 'demo/temperature') publishers.push(cloud.fleet.devices.get(event.coreid)?.online === true);
	};
	cloud.fleet.events.on('event', onEvent);
	try {
		for (let change = 0; change < 500; change++) {
			script.changeState();
			script.publishReadings();
		}
	} finally {
		script.stop();
		cloud.fleet.events.off('event', onEvent);
	}
	expect(steady.online).toBe(true);
	expect(script.log.filter((entry) => entry.deviceId === steady.id && entry.step === 'offline')).toEqual([]);
	// Other devices did go offline and come back.
	expect(script.log.filter((entry) => entry.step === 'offline').length).toBeGreaterThan(50);
	expect(publishers.length).toBeGreaterThan(500);
	expect(publishers.every(Boolean)).toBe(true);
});

describe('on its own clock (jest fake timers, no wall-clock waits)', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('by default: a device changes state every 1 to 3 minutes across the fleet, and a reading per group every 5 s', async () => {
		const quiet = await startFakeCloud({ devices: 6, products: 1, productDevices: 6, seed: 1 });
		// Counted from the events (the script's log keeps only its last 1000 steps).
		const events: FleetEvent[] = [];
		quiet.fleet.events.on('event', (event) => events.push(event));
		try {
			const script = quiet.startFleetScript({ seed: 1 });
			const hour = 3_600_000;
			jest.advanceTimersByTime(hour);
			script.stop();
			const changes = events.filter((event) => event.name === 'spark/status');
			const readings = events.filter((event) => event.name === 'demo/temperature');
			// Waits are drawn between 0.5 and 1.5 times the mean: at most 60 / 1 and at least 60 / 3 changes an hour.
			expect(DEFAULT_CHANGE_EVERY_MS).toBe(120_000);
			expect(changes.length).toBeGreaterThanOrEqual(20);
			expect(changes.length).toBeLessThanOrEqual(60);
			const gaps = changes.slice(1).map((event, index) => Date.parse(event.published_at) - Date.parse(changes[index].published_at));
			expect(Math.min(...gaps)).toBeGreaterThanOrEqual(DEFAULT_CHANGE_EVERY_MS / 2);
			expect(Math.max(...gaps)).toBeLessThanOrEqual((DEFAULT_CHANGE_EVERY_MS * 3) / 2);
			// Two groups (the sandbox and one product): one reading each per tick while a device of the group is online.
			const ticks = hour / DEFAULT_READING_EVERY_MS;
			const fromSandbox = readings.filter((event) => event.productID === undefined).length;
			expect(fromSandbox).toBeGreaterThanOrEqual(ticks * 0.95);
			expect(fromSandbox).toBeLessThanOrEqual(ticks);
			expect(readings.length - fromSandbox).toBeGreaterThanOrEqual(ticks * 0.95);
			expect(readings.length - fromSandbox).toBeLessThanOrEqual(ticks);
			expect(events.filter((event) => event.name === 'spark/device/diagnostics/update')).toHaveLength(60);
		} finally {
			await quiet.close();
		}
	});

	it('--churn-ms speeds the changes up, and nothing happens after stop()', async () => {
		const busy = await startFakeCloud({ devices: 6, productDevices: 6, seed: 1 });
		try {
			const script = busy.startFleetScript({ everyMs: 1000, seed: 2 });
			jest.advanceTimersByTime(60_000);
			const changes = script.log.filter((entry) => entry.step === 'offline' || entry.step === 'online').length;
			expect(changes).toBeGreaterThanOrEqual(40);
			expect(changes).toBeLessThanOrEqual(120);
			script.stop();
			const steps = script.steps;
			jest.advanceTimersByTime(600_000);
			expect(script.steps).toBe(steps);
		} finally {
			await busy.close();
		}
	});
});

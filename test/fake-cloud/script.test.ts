/** The scripted fleet life: repeatable steps that change online state, vitals and events, bounded and stoppable. */
import { startFakeCloud, type FakeCloud, type FleetEvent } from '../../fake-cloud';

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

it('runs on its own timer until stopped', async () => {
	const script = cloud.startFleetScript({ everyMs: 10, maxSteps: 1000 });
	const deadline = Date.now() + 2000;
	while (script.steps < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
	script.stop();
	const steps = script.steps;
	expect(steps).toBeGreaterThanOrEqual(5);
	await new Promise((resolve) => setTimeout(resolve, 50));
	expect(script.steps).toBe(steps);
});

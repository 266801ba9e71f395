import {
	detectChanges,
	devicesNeedingVitals,
	judgeOnline,
	type FleetState,
	type ObservedDevice,
	type ObservedVitals,
	type WatchOptions,
} from '../../nodes/ParticleTrigger/fleetChanges';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
const device = (id: string, online: boolean, heardMinutesAgo = 1): ObservedDevice => ({ id, name: `dev-${id}`, online, lastHeard: minutesAgo(heardMinutesAgo) });
const vitals = (at: string, charge: number, extra: Record<string, number> = {}): ObservedVitals => ({
	updatedAt: at,
	values: { 'device.power.battery.charge': charge, ...extra },
});
const ALL: WatchOptions = {
	events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated', 'vitalsThreshold'],
	threshold: { path: 'device.power.battery.charge', operator: 'below', value: 20 },
};

function poll(previous: FleetState | undefined, devices: ObservedDevice[], options = ALL, readings = new Map<string, ObservedVitals>()) {
	return detectChanges({ previous, devices, vitals: readings, options, product: '10001', now: NOW });
}

describe('fleetChanges', () => {
	it('records a baseline and reports nothing on the first poll', () => {
		const { changes, next } = poll(undefined, [device('a', true), device('b', false)], ALL, new Map([['a', vitals('t1', 10)]]));
		expect(changes).toEqual([]);
		expect(next.devices.a).toMatchObject({ online: true, vitalsAt: 't1', crossed: true });
		expect(next.devices.b).toMatchObject({ online: false });
		expect(JSON.parse(JSON.stringify(next))).toEqual(next);
	});

	it('reports devices already offline and thresholds already crossed on the first poll when asked', () => {
		const { changes } = poll(undefined, [device('a', true), device('b', false)], { ...ALL, reportOnBaseline: true }, new Map([['a', vitals('t1', 10)]]));
		expect(changes.map((change) => [change.event, change.deviceId])).toEqual([
			['vitalsThreshold', 'a'],
			['deviceWentOffline', 'b'],
		]);
	});

	it('reports each online change once', () => {
		const first = poll(undefined, [device('a', true), device('b', false)]).next;
		const second = poll(first, [device('a', false), device('b', true)]);
		expect(second.changes).toEqual([
			expect.objectContaining({ event: 'deviceWentOffline', deviceId: 'a', online: false, previouslyOnline: true, product: '10001', deviceName: 'dev-a' }),
			expect.objectContaining({ event: 'deviceCameOnline', deviceId: 'b', online: true, previouslyOnline: false }),
		]);
		expect(poll(second.next, [device('a', false), device('b', true)]).changes).toEqual([]);
	});

	it('judges a device offline when not heard from for N minutes, before the cloud does', () => {
		expect(judgeOnline(device('a', true, 5), NOW, 10)).toBe(true);
		expect(judgeOnline(device('a', true, 11), NOW, 10)).toBe(false);
		expect(judgeOnline(device('a', true, 500), NOW)).toBe(true);
		expect(judgeOnline({ ...device('a', true), lastHeard: null }, NOW, 10)).toBe(false);
		const options = { ...ALL, offlineAfterMinutes: 10 };
		const first = poll(undefined, [device('a', true, 2)], options).next;
		expect(poll(first, [device('a', true, 12)], options).changes.map((change) => change.event)).toEqual(['deviceWentOffline']);
	});

	it('keeps the previous state of devices this poll could not read', () => {
		const first = poll(undefined, [device('a', true), device('b', true)]).next;
		const partial = poll(first, [device('a', true)]);
		expect(partial.changes).toEqual([]);
		expect(partial.next.devices.b).toEqual(first.devices.b);
		expect(poll(partial.next, [device('a', true), device('b', false)]).changes.map((change) => change.deviceId)).toEqual(['b']);
	});

	it('fires a threshold once when crossing, not while it stays crossed, and again after recovering', () => {
		const readings = (charge: number, at: string) => new Map([['a', vitals(at, charge)]]);
		let state = poll(undefined, [device('a', true)], ALL, readings(50, 't0')).next;
		const crossings: string[] = [];
		for (const [charge, at] of [[30, 't1'], [15, 't2'], [12, 't3'], [25, 't4'], [18, 't5']] as const) {
			const result = poll(state, [device('a', true)], { ...ALL, events: ['vitalsThreshold'] }, readings(charge, at));
			crossings.push(...result.changes.map((change) => `${at}:${String(change.changes?.['device.power.battery.charge'].current)}`));
			state = result.next;
		}
		expect(crossings).toEqual(['t2:15', 't5:18']);
	});

	it('reports new vitals with the previous and current values of the fields that changed', () => {
		const first = poll(undefined, [device('a', true)], ALL, new Map([['a', vitals('t1', 80, { 'device.network.signal.strength': 60 })]])).next;
		const { changes } = poll(first, [device('a', true)], ALL, new Map([['a', vitals('t2', 79, { 'device.network.signal.strength': 60 })]]));
		expect(changes).toEqual([
			expect.objectContaining({
				event: 'vitalsUpdated',
				vitalsUpdatedAt: 't2',
				changes: { 'device.power.battery.charge': { previous: 80, current: 79 } },
			}),
		]);
		// The same record read again is not new.
		expect(poll(first, [device('a', true)], ALL, new Map([['a', vitals('t1', 80)]])).changes).toEqual([]);
	});

	it('asks for vitals only for devices heard from since the last poll, or never read', () => {
		const first = poll(undefined, [device('a', true, 5), device('b', true, 5)], ALL, new Map([['a', vitals('t1', 50)], ['b', vitals('t1', 50)]])).next;
		expect(devicesNeedingVitals(undefined, [device('a', true)])).toEqual(['a']);
		expect(devicesNeedingVitals(first, [device('a', true, 5), device('b', true, 1), device('c', true)])).toEqual(['b', 'c']);
	});

	it('keeps only the threshold field when vitals changes are not reported', () => {
		const options: WatchOptions = { events: ['vitalsThreshold'], threshold: ALL.threshold };
		const { next } = poll(undefined, [device('a', true)], options, new Map([['a', vitals('t1', 50, { 'device.system.uptime': 5 })]]));
		expect(next.devices.a.vitals).toEqual({ 'device.power.battery.charge': 50 });
	});
});

import {
	detectChanges,
	devicesNeedingVitals,
	judgeOnline,
	vitalsProbe,
	type FleetState,
	type ObservedDevice,
	type ObservedVitals,
	type PollReading,
	type WatchOptions,
} from '../../nodes/ParticleTrigger/fleetChanges';
import { decodeEntry, migrateState, stamp } from '../../nodes/ParticleTrigger/fleetState';
import { describeCost, listRequests, pollsPerFiveMinutes, requestsPerPoll } from '../../nodes/ParticleTrigger/pollBudget';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
const device = (id: string, online: boolean, heardMinutesAgo = 1): ObservedDevice => ({ id, name: `dev-${id}`, online, lastHeard: minutesAgo(heardMinutesAgo) });
const vitals = (at: string, charge: number, extra: Record<string, number> = {}): ObservedVitals => ({
	updatedAt: at,
	values: { 'device.power.battery.charge': charge, ...extra },
});
const T = (minute: number) => minutesAgo(60 - minute);
const ALL: WatchOptions = {
	events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated', 'vitalsThreshold'],
	threshold: { path: 'device.power.battery.charge', operator: 'below', value: 20 },
};

function poll(previous: FleetState | undefined, devices: ObservedDevice[], options = ALL, readings = new Map<string, ObservedVitals>(), extra: Partial<PollReading> = {}) {
	return detectChanges({ previous, devices, vitals: readings, options, product: '10001', now: NOW, ...extra });
}

describe('fleetChanges', () => {
	it('names the platform in every change item, null when the listing did not say or Particle does not list the ID', () => {
		const before = poll(undefined, [device('a', true), device('b', true), device('c', true)], { events: ['deviceWentOffline'] }).next;
		const { changes } = poll(before, [{ ...device('a', false), platformId: 13 }, { ...device('b', false), platformId: 999 }, device('c', false)], { events: ['deviceWentOffline'] });
		expect(changes.map(({ deviceId, platformId, platform }) => ({ deviceId, platformId, platform }))).toEqual([
			{ deviceId: 'a', platformId: 13, platform: 'Boron' },
			{ deviceId: 'b', platformId: 999, platform: null },
			{ deviceId: 'c', platformId: null, platform: null },
		]);
	});

	it('records a baseline and reports nothing on the first poll', () => {
		const { changes, next, changed } = poll(undefined, [device('a', true), device('b', false)], ALL, new Map([['a', vitals(T(1), 10)]]));
		expect(changes).toEqual([]);
		expect(changed).toBe(true);
		expect(decodeEntry(next.d.a)).toMatchObject({ online: true, vitalsAt: stamp(T(1)), value: 10, crossed: 1 });
		expect(decodeEntry(next.d.b)).toMatchObject({ online: false, vitalsAt: 0 });
		expect(JSON.parse(JSON.stringify(next))).toEqual(next);
	});

	it('keeps one short array a device, shaped by the events watched', () => {
		const readings = new Map([['a', vitals(T(1), 10)]]);
		expect(poll(undefined, [device('a', true)], { events: ['deviceWentOffline'] }, readings).next.d.a).toEqual([1]);
		expect(poll(undefined, [device('a', true)], { events: ['vitalsUpdated'] }, readings).next.d.a).toEqual([1, stamp(minutesAgo(1)), stamp(T(1))]);
		expect(poll(undefined, [device('a', true)], ALL, readings).next.d.a).toEqual([1, stamp(minutesAgo(1)), stamp(T(1)), 10, 1]);
	});

	it('reports devices already offline and thresholds already crossed on the first poll when asked', () => {
		const { changes } = poll(undefined, [device('a', true), device('b', false)], { ...ALL, reportOnBaseline: true }, new Map([['a', vitals(T(1), 10)]]));
		expect(changes.map((change) => [change.event, change.deviceId])).toEqual([
			['vitalsThreshold', 'a'],
			['deviceWentOffline', 'b'],
		]);
	});

	it('reports a threshold already crossed at the first reading of a device the first poll could not afford to read', () => {
		const options = { ...ALL, reportOnBaseline: true };
		const first = poll(undefined, [device('a', true)], options).next;
		const { changes } = poll(first, [device('a', true)], options, new Map([['a', vitals(T(1), 10)]]));
		expect(changes.map((change) => change.event)).toEqual(['vitalsThreshold']);
		// Without Report on First Poll, a first reading is a baseline.
		const quiet = poll(undefined, [device('a', true)]).next;
		expect(poll(quiet, [device('a', true)], ALL, new Map([['a', vitals(T(1), 10)]])).changes).toEqual([]);
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

	it('prunes devices a complete listing no longer has', () => {
		const first = poll(undefined, [device('a', true), device('b', true)]).next;
		const after = poll(first, [device('a', true)]);
		expect(after.changes).toEqual([]);
		expect(after.changed).toBe(true);
		expect(Object.keys(after.next.d)).toEqual(['a']);
	});

	it('judges nothing online, offline or gone from an incomplete listing, and adds no device from it', () => {
		const first = poll(undefined, [device('a', true), device('b', true)]).next;
		const partial = poll(first, [device('a', false), device('c', true)], ALL, new Map(), { complete: false });
		expect(partial.changes).toEqual([]);
		expect(partial.next.d).toEqual(first.d);
		expect(poll(partial.next, [device('a', false), device('b', true), device('c', true)]).changes.map((change) => change.deviceId)).toEqual(['a']);
		// An incomplete first listing is no baseline: the next one is.
		expect(poll(undefined, [device('a', true)], ALL, new Map(), { complete: false }).changed).toBe(false);
	});

	it('still reports vitals from an incomplete listing', () => {
		const first = poll(undefined, [device('a', true)], ALL, new Map([['a', vitals(T(1), 50)]])).next;
		const { changes } = poll(first, [device('a', true)], ALL, new Map([['a', vitals(T(2), 40)]]), { complete: false });
		expect(changes.map((change) => change.event)).toEqual(['vitalsUpdated']);
	});

	it('reports each device once when the listing holds it twice', () => {
		const first = poll(undefined, [device('a', true)]).next;
		expect(poll(first, [device('a', false), device('a', false)]).changes).toHaveLength(1);
	});

	it('is unchanged when nothing changed, so the saved state is not touched', () => {
		const readings = new Map([['a', vitals(T(1), 50)]]);
		const first = poll(undefined, [device('a', true), device('b', false)], ALL, readings).next;
		const again = poll(first, [device('a', true), device('b', false)], ALL, readings);
		expect(again.changed).toBe(false);
		expect(again.next.d.a).toBe(first.d.a);
	});

	it('fires a threshold once when crossing, not while it stays crossed, and again after recovering', () => {
		const readings = (charge: number, at: string) => new Map([['a', vitals(at, charge)]]);
		let state = poll(undefined, [device('a', true)], ALL, readings(50, T(0))).next;
		const crossings: string[] = [];
		for (const [charge, at] of [[30, T(1)], [15, T(2)], [12, T(3)], [25, T(4)], [18, T(5)]] as const) {
			const result = poll(state, [device('a', true)], { ...ALL, events: ['vitalsThreshold'] }, readings(charge, at));
			crossings.push(...result.changes.map((change) => `${String(change.changes?.['device.power.battery.charge'].previous)}->${String(change.value)}`));
			state = result.next;
		}
		expect(crossings).toEqual(['30->15', '25->18']);
	});

	it('reports new vitals with every field as reported now', () => {
		const first = poll(undefined, [device('a', true)], ALL, new Map([['a', vitals(T(1), 80, { 'device.network.signal.strength': 60 })]])).next;
		const { changes } = poll(first, [device('a', true)], ALL, new Map([['a', vitals(T(2), 79, { 'device.network.signal.strength': 60 })]]));
		expect(changes).toEqual([
			expect.objectContaining({
				event: 'vitalsUpdated',
				vitalsUpdatedAt: T(2),
				vitals: { 'device.power.battery.charge': 79, 'device.network.signal.strength': 60 },
			}),
		]);
		// The same record read again is not new.
		expect(poll(first, [device('a', true)], ALL, new Map([['a', vitals(T(1), 80)]])).changes).toEqual([]);
	});

	it('asks for vitals only of devices heard from since their vitals were checked, never checked first', () => {
		const first = poll(undefined, [device('a', true, 5), device('b', true, 5)], ALL, new Map([['a', vitals(T(1), 50)], ['b', vitals(T(1), 50)]])).next;
		expect(devicesNeedingVitals(undefined, [device('a', true)])).toEqual(['a']);
		expect(devicesNeedingVitals(first, [device('a', true, 5), device('b', true, 1), device('c', true)])).toEqual(['c', 'b']);
		expect(devicesNeedingVitals(first, [device('a', true, 5), device('b', true, 1), device('c', true)], { limit: 1 })).toEqual(['c']);
		// Never heard from: no vitals can exist.
		expect(devicesNeedingVitals(undefined, [{ ...device('a', true), lastHeard: null }])).toEqual([]);
		// From an incomplete listing, a device not yet saved waits.
		expect(devicesNeedingVitals(first, [device('c', true)], { complete: false })).toEqual([]);
	});

	it('with a recheck interval, reads a device heard from again only after it, or at a new session', () => {
		const first = poll(undefined, [device('a', true, 50), device('b', true, 50)], ALL, new Map([['a', vitals(T(1), 50)], ['b', vitals(T(1), 50)]])).next;
		const heard = [device('a', true, 20), { ...device('b', true, 20), lastHandshakeAt: minutesAgo(21) }];
		expect(devicesNeedingVitals(first, heard, { recheckMinutes: 60 })).toEqual(['b']);
		expect(devicesNeedingVitals(first, [device('a', true, -15)], { recheckMinutes: 60 })).toEqual(['a']);
	});

	it('marks a device with no vitals (404) or refused ones (403) as checked, not read again until heard from', () => {
		const first = poll(undefined, [device('a', true, 5), device('b', true, 5)], ALL, new Map(), { vitalsChecked: new Set(['a']), vitalsRefused: new Set(['b']) }).next;
		expect(devicesNeedingVitals(first, [device('a', true, 5), device('b', true, 5)])).toEqual([]);
		expect(devicesNeedingVitals(first, [device('a', true, 1), device('b', true, 5)])).toEqual(['a']);
		// A failed read (429, 5xx) leaves the device as it was: read again next poll.
		const failed = poll(first, [device('a', true, 1)], ALL).next;
		expect(devicesNeedingVitals(failed, [device('a', true, 1)])).toEqual(['a']);
	});

	it('says vitals are refused everywhere after refusals on 3 devices and no read that worked', () => {
		const devices = [device('a', true), device('b', true), device('c', true), device('d', true)];
		const refuse = (state: FleetState | undefined, ids: string[]) => poll(state, devices, ALL, new Map(), { vitalsRefused: new Set(ids) });
		const one = refuse(undefined, ['a', 'b']);
		expect(one.vitalsRefused).toBe(false);
		const two = refuse(one.next, ['c']);
		expect(two.vitalsRefused).toBe(true);
		expect(two.next.r).toEqual(['a', 'b', 'c']);
		expect(vitalsProbe(two.next, devices)).toBe('a');
		// One read that works clears it.
		const back = poll(two.next, devices, ALL, new Map([['a', vitals(T(1), 50)]]));
		expect(back.vitalsRefused).toBe(false);
		expect(back.next.r).toBeUndefined();
		// A fleet of one: one refusal is everywhere.
		expect(poll(undefined, [device('a', true)], ALL, new Map(), { vitalsRefused: new Set(['a']) }).vitalsRefused).toBe(true);
	});

	it('forgets threshold values kept for another field', () => {
		const first = poll(undefined, [device('a', true)], ALL, new Map([['a', vitals(T(1), 10)]])).next;
		const other = { ...ALL, threshold: { path: 'device.system.uptime', operator: 'above' as const, value: 5 } };
		const next = poll(first, [device('a', true)], other).next;
		expect(next.t).toBe('device.system.uptime');
		expect(decodeEntry(next.d.a)).toMatchObject({ value: null, crossed: null });
	});
});

describe('fleetState', () => {
	it('migrates the 0.1 format without a read or an alert, and the next change once', () => {
		const legacy = {
			version: 1,
			devices: {
				a: { name: 'dev-a', online: true, lastHeard: minutesAgo(5), vitalsAt: T(1), vitals: { 'device.power.battery.charge': 10, 'device.system.uptime': 3 }, crossed: true },
				b: { name: 'dev-b', online: false, lastHeard: minutesAgo(90) },
			},
		};
		const migrated = migrateState(JSON.parse(JSON.stringify(legacy)), ALL.threshold?.path);
		expect(migrated?.d).toEqual({ a: [1, stamp(minutesAgo(5)), stamp(T(1)), 10, 1], b: [0, 0, 0, null, null] });
		const devices = [device('a', true, 5), device('b', false, 90)];
		expect(devicesNeedingVitals(migrated, devices)).toEqual(['b']);
		expect(poll(migrated, devices, ALL, new Map([['b', vitals(T(1), 50)]])).changes).toEqual([]);
		expect(poll(migrated, [device('a', false, 5), device('b', false, 90)]).changes.map((change) => change.event)).toEqual(['deviceWentOffline']);
		expect(migrateState({ something: 'else' }, undefined)).toBeUndefined();
	});

	it('stamps times as milliseconds, anything else as a negative hash, none as 0', () => {
		expect(stamp('2026-11-22T12:00:00.000Z')).toBe(NOW);
		expect(stamp('not a time')).toBeLessThan(0);
		expect(stamp('not a time')).toBe(stamp('not a time'));
		expect(stamp(null)).toBe(0);
	});
});

describe('pollBudget', () => {
	it('counts the polls of n8n\'s Poll Times in the busiest 5 minutes', () => {
		expect(pollsPerFiveMinutes({ item: [{ mode: 'everyMinute' }] })).toBe(5);
		expect(pollsPerFiveMinutes({ item: [{ mode: 'everyX', value: 2, unit: 'minutes' }] })).toBe(3);
		expect(pollsPerFiveMinutes({ item: [{ mode: 'everyX', value: 10, unit: 'minutes' }] })).toBe(1);
		expect(pollsPerFiveMinutes({ item: [{ mode: 'everyHour', minute: 5 }, { mode: 'everyMinute' }] })).toBe(6);
		expect(pollsPerFiveMinutes({ item: [{ mode: 'custom', cronExpression: '0 */15 * * * *' }] })).toBe(1);
		expect(pollsPerFiveMinutes({ item: [{ mode: 'custom', cronExpression: '1,2,3 * * * *' }] })).toBe(3);
		expect(pollsPerFiveMinutes({ item: [{ mode: 'custom', cronExpression: '* * * * *' }] })).toBe(5);
		expect(pollsPerFiveMinutes(undefined)).toBe(5);
	});

	it('gives a poll its share of the budget, never more than the budget', () => {
		expect(requestsPerPoll(5000, 5)).toBe(1000);
		expect(requestsPerPoll(5000, 1)).toBe(5000);
		expect(listRequests(50_000)).toBe(500);
		expect(listRequests(0)).toBe(1);
	});

	it('says what a poll costs, and warns when the list alone takes a poll\'s share', () => {
		const fifty = describeCost(50_000, true, true, 5, 5000);
		expect(fifty.text).toContain('A poll of 50,000 devices costs 500 device-list requests, plus one vitals read per device heard from since its last read (up to 500 a poll): 2,500 per 5 minutes');
		expect(fifty.warning).toBe(false);
		expect(describeCost(100_000, true, true, 5, 5000).warning).toBe(true);
		expect(describeCost(100_000, true, false, 5, 5000).warning).toBe(false);
		expect(describeCost(250_000, true, false, 5, 20_000).warning).toBe(true);
		expect(describeCost(12, false, true, 5, 5000)).toMatchObject({ warning: false, text: expect.stringContaining('costs 1 device-list request,') });
	});
});

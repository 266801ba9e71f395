/** The status-and-vitals detection of the Event Trigger, pure: Particle's system events in, the polling trigger's items out. */
import { loadStatusState, MAX_REMEMBERED_DEVICES, StatusTracker, type StatusState } from '../../nodes/ParticleEventTrigger/statusEvents';
import type { ParticleEvent } from '../../nodes/shared/sseParser';
import type { ThresholdRule, WatchOptions } from '../../nodes/ParticleTrigger/fleetChanges';

const A = '0123456789abcdef01234567';
const B = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const RULE: ThresholdRule = { path: 'device.power.battery.charge', operator: 'below', value: 20 };
const ALL: WatchOptions = { events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated', 'vitalsThreshold'], threshold: RULE };

const status = (coreid: string, data: string, at = '2026-03-14T15:26:53.000Z'): ParticleEvent => ({ name: 'spark/status', data, coreid, published_at: at, ttl: 60 });
const vitals = (coreid: string, charge: unknown, at = '2026-03-14T15:27:00.000Z'): ParticleEvent => ({
	name: 'spark/device/diagnostics/update',
	data: { device: { power: { battery: { charge } } } },
	coreid,
	published_at: at,
});

function tracker(watch: WatchOptions = ALL, saved?: unknown) {
	const state = loadStatusState(saved, watch.threshold);
	return { state, tracker: new StatusTracker(state, watch, { kind: 'fixed', product: null }) };
}

describe('loadStatusState', () => {
	it('starts afresh from nothing, another format or garbage', () => {
		for (const saved of [undefined, null, 'x', [], { v: 2, d: {} }, { version: 1, devices: {} }, { v: 1, d: 'x' }]) {
			expect(loadStatusState(saved, RULE)).toEqual({ v: 1, t: 'device.power.battery.charge below 20', d: {} });
		}
	});

	it('keeps the online state but forgets the threshold sides when the rule changed', () => {
		const saved: StatusState = { v: 1, t: 'device.power.battery.charge below 20', d: { [A]: [1, 1, 12], [B]: [0, 0, 50] } };
		expect(loadStatusState(JSON.parse(JSON.stringify(saved)), { ...RULE, value: 30 })).toEqual({ v: 1, t: 'device.power.battery.charge below 30', d: { [A]: [1], [B]: [0] } });
		expect(loadStatusState(JSON.parse(JSON.stringify(saved)), undefined)).toEqual({ v: 1, d: { [A]: [1], [B]: [0] } });
		// An entry that is not ours counts as a device not seen before.
		const junk = tracker({ events: ['deviceWentOffline'] }, { v: 1, d: { [A]: 'junk' } });
		expect(junk.tracker.handle(status(A, 'offline')).changes[0]).toMatchObject({ previouslyOnline: null });
		expect(junk.state.d[A]).toEqual([0]);
	});
});

describe('StatusTracker', () => {
	it('reports a status event of a device not seen before as the change it is, with what it was before unknown', () => {
		const { tracker: t } = tracker();
		expect(t.handle(status(A.toUpperCase(), 'offline')).changes).toEqual([
			{ event: 'deviceWentOffline', deviceId: A, deviceName: null, product: null, online: false, previouslyOnline: null, lastHeard: null, platformId: null, platform: null },
		]);
		expect(t.handle(status(A, 'offline'))).toEqual({ changes: [], changed: false });
		expect(t.handle(status(A, 'online', '2026-03-14T15:30:00.000Z')).changes).toEqual([
			expect.objectContaining({ event: 'deviceCameOnline', previouslyOnline: false, lastHeard: '2026-03-14T15:30:00.000Z' }),
		]);
	});

	it('ignores events that are not a device\'s session or vitals', () => {
		const { tracker: t, state } = tracker();
		for (const event of [
			status('api', 'offline'),
			status('particle-internal', 'online'),
			status(A, 'auto-update'),
			{ ...status(A, 'offline'), name: 'spark/status/safe-mode' },
			{ ...status(A, 'offline'), name: 'sparkle' },
			{ ...vitals(A, 10), data: 'not json' },
			{ ...vitals(A, 10), data: '[1,2]' },
		]) {
			expect(t.handle(event)).toEqual({ changes: [], changed: false });
		}
		expect(state.d).toEqual({});
	});

	it('takes vitals data as JSON text too, and a field that is not a number keeps the side', () => {
		const { tracker: t, state } = tracker({ events: ['vitalsThreshold'], threshold: RULE });
		t.handle({ ...vitals(A, 0), data: JSON.stringify({ device: { power: { battery: { charge: 40 } } } }) });
		expect(state.d[A]).toEqual([1, 0, 40]);
		// Particle sends { err: -210 } for a battery it cannot read.
		expect(t.handle(vitals(A, { err: -210 })).changes).toEqual([]);
		expect(state.d[A]).toEqual([1, 0, null]);
		expect(t.handle(vitals(A, 5)).changes).toEqual([expect.objectContaining({ event: 'vitalsThreshold', value: 5, changes: { [RULE.path]: { previous: null, current: 5 } } })]);
	});

	it('skips vitals when no vitals event is watched, and records nothing for them', () => {
		const { tracker: t, state } = tracker({ events: ['deviceWentOffline'] });
		expect(t.handle(vitals(A, 5))).toEqual({ changes: [], changed: false });
		expect(state.d).toEqual({});
	});

	it('seeds from the device list: names and online state, without overriding what an event already said, pruning devices gone', () => {
		const { tracker: t, state } = tracker({ events: ['deviceWentOffline', 'deviceCameOnline'] }, { v: 1, d: { [A]: [1], [B]: [1], ffffffffffffffffffffffff: [1] } });
		t.handle(status(A, 'offline'));
		const changed = t.seed(
			[
				{ id: A, name: 'alpha', online: true, lastHeard: '2026-03-14T10:00:00.000Z' },
				{ id: B, name: 'beta', online: false, lastHeard: '2026-03-14T11:00:00.000Z', platformId: 13 },
				{ id: 'api', name: 'not a device', online: true, lastHeard: null },
			],
			true,
		);
		expect(changed).toBe(true);
		expect(state.d).toEqual({ [A]: [0], [B]: [0] });
		expect(t.handle(status(B, 'online', '2026-03-14T12:00:00.000Z')).changes).toEqual([
			{ event: 'deviceCameOnline', deviceId: B, deviceName: 'beta', product: null, online: true, previouslyOnline: false, lastHeard: '2026-03-14T12:00:00.000Z', platformId: 13, platform: 'Boron' },
		]);
		expect(t.handle(status(A, 'online')).changes[0]).toMatchObject({ deviceName: 'alpha' });
		expect(t.seed([{ id: A, name: 'alpha', online: true, lastHeard: null }], false)).toBe(false);
	});

	it('takes the product from the event on an organization stream', () => {
		const state = loadStatusState(undefined, undefined);
		const t = new StatusTracker(state, { events: ['deviceWentOffline'] }, { kind: 'fromEvent' });
		expect(t.handle({ ...status(A, 'offline'), productID: 10001 }).changes[0]).toMatchObject({ product: '10001' });
		expect(t.handle({ ...status(B, 'offline') }).changes[0]).toMatchObject({ product: null });
	});

	it('keeps each device under 100 bytes of static data, and forgets the oldest names past the memory cap', () => {
		const { tracker: t, state } = tracker();
		t.seed([{ id: A, name: 'alpha', online: true, lastHeard: null }], false);
		t.handle(vitals(A, -123.456789));
		t.handle(status(A, 'offline'));
		expect(JSON.stringify({ [A]: state.d[A] }).length).toBeLessThan(100);
		for (let index = 1; index <= MAX_REMEMBERED_DEVICES; index++) t.handle(status(index.toString(16).padStart(24, '0'), 'online'));
		expect(t.handle(status(A, 'online')).changes[0]).toMatchObject({ deviceId: A, deviceName: null, previouslyOnline: false });
	});
});

/**
 * What changed in a fleet between two polls. Pure: (previous state, what this poll read, options) -> change items and
 * the next state. The state is plain JSON, so it lives in the node's static data (queue mode, restarts).
 */

export type FleetEvent = 'deviceWentOffline' | 'deviceCameOnline' | 'vitalsUpdated' | 'vitalsThreshold';
export type ThresholdOperator = 'below' | 'above';
export type VitalsValue = number | string | boolean | null;

export interface ThresholdRule {
	/** Dotted vitals path, e.g. `device.power.battery.charge`. */
	path: string;
	operator: ThresholdOperator;
	value: number;
}

export interface WatchOptions {
	events: FleetEvent[];
	/** Judge a device offline when not heard from for this many minutes, before the cloud says so. */
	offlineAfterMinutes?: number;
	threshold?: ThresholdRule;
	/** On the first poll, report devices already offline (and thresholds already crossed) instead of staying quiet. */
	reportOnBaseline?: boolean;
}

export interface DeviceState {
	name: string | null;
	online: boolean;
	lastHeard: string | null;
	/** `updated_at` of the last vitals read, and their flattened values. */
	vitalsAt?: string | null;
	vitals?: Record<string, VitalsValue>;
	/** Whether the threshold rule held at the last reading. */
	crossed?: boolean;
}

export interface FleetState {
	version: 1;
	devices: Record<string, DeviceState>;
}

export interface ObservedDevice {
	id: string;
	name: string | null;
	online: boolean;
	lastHeard: string | null;
}

export interface ObservedVitals {
	updatedAt: string | null;
	values: Record<string, VitalsValue>;
}

export interface FleetChange {
	event: FleetEvent;
	deviceId: string;
	deviceName: string | null;
	product: string | null;
	online: boolean;
	previouslyOnline: boolean | null;
	lastHeard: string | null;
	vitalsUpdatedAt?: string | null;
	/** For vitals events: previous and current values of the fields that changed (or of the threshold field). */
	changes?: Record<string, { previous: VitalsValue | undefined; current: VitalsValue | undefined }>;
	threshold?: ThresholdRule;
}

export interface PollReading {
	previous: FleetState | undefined;
	/** Devices read this poll; a device absent here (list not read, or gone) keeps its previous state. */
	devices: ObservedDevice[];
	/** Vitals read this poll, by device ID. */
	vitals: Map<string, ObservedVitals>;
	options: WatchOptions;
	product: string | null;
	now: number;
}

export function isWatchingVitals(options: WatchOptions): boolean {
	return options.events.includes('vitalsUpdated') || options.events.includes('vitalsThreshold');
}

/** Online as the user wants it judged: the cloud's flag, and optionally heard from within the last N minutes. */
export function judgeOnline(device: ObservedDevice, now: number, offlineAfterMinutes?: number): boolean {
	if (!device.online) return false;
	if (!offlineAfterMinutes || offlineAfterMinutes <= 0) return true;
	const heard = device.lastHeard === null ? Number.NaN : Date.parse(device.lastHeard);
	return Number.isFinite(heard) && now - heard <= offlineAfterMinutes * 60_000;
}

/** Devices whose vitals this poll should read: new to the state, or heard from since the last poll. */
export function devicesNeedingVitals(previous: FleetState | undefined, devices: ObservedDevice[]): string[] {
	return devices
		.filter((device) => {
			const before = previous?.devices[device.id];
			return before === undefined || before.vitalsAt === undefined || before.lastHeard !== device.lastHeard;
		})
		.map((device) => device.id);
}

export function crosses(value: VitalsValue | undefined, rule: ThresholdRule): boolean | undefined {
	if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
	return rule.operator === 'below' ? value < rule.value : value > rule.value;
}

function changedFields(before: Record<string, VitalsValue> | undefined, after: Record<string, VitalsValue>) {
	const changes: NonNullable<FleetChange['changes']> = {};
	for (const key of new Set([...Object.keys(before ?? {}), ...Object.keys(after)])) {
		if (before?.[key] !== after[key]) changes[key] = { previous: before?.[key], current: after[key] };
	}
	return changes;
}

/** Static data is saved after every poll: keep every field only when changes are reported, else the threshold's. */
function keptValues(values: Record<string, VitalsValue>, options: WatchOptions): Record<string, VitalsValue> {
	if (options.events.includes('vitalsUpdated')) return values;
	const path = options.threshold?.path;
	return path !== undefined && path in values ? { [path]: values[path] } : {};
}

export function detectChanges(reading: PollReading): { changes: FleetChange[]; next: FleetState } {
	const { previous, options, now, product } = reading;
	const watching = new Set(options.events);
	const isBaseline = previous === undefined;
	const next: FleetState = { version: 1, devices: { ...(previous?.devices ?? {}) } };
	const changes: FleetChange[] = [];

	for (const device of reading.devices) {
		const before = previous?.devices[device.id];
		const online = judgeOnline(device, now, options.offlineAfterMinutes);
		const state: DeviceState = { ...before, name: device.name, online, lastHeard: device.lastHeard };
		const base = {
			deviceId: device.id,
			deviceName: device.name,
			product,
			online,
			previouslyOnline: before ? before.online : null,
			lastHeard: device.lastHeard,
		};
		const quiet = before === undefined && !(isBaseline && options.reportOnBaseline);

		if (before && before.online && !online && watching.has('deviceWentOffline')) {
			changes.push({ event: 'deviceWentOffline', ...base });
		} else if (before && !before.online && online && watching.has('deviceCameOnline')) {
			changes.push({ event: 'deviceCameOnline', ...base });
		} else if (!before && !quiet && !online && watching.has('deviceWentOffline')) {
			changes.push({ event: 'deviceWentOffline', ...base });
		}

		const vitals = reading.vitals.get(device.id);
		if (vitals) {
			const isNew = before?.vitalsAt !== undefined && vitals.updatedAt !== before.vitalsAt;
			// New vitals fire even when no value moved: the device did report.
			if (isNew && watching.has('vitalsUpdated')) {
				const fields = changedFields(before?.vitals, vitals.values);
				changes.push({ event: 'vitalsUpdated', ...base, vitalsUpdatedAt: vitals.updatedAt, changes: fields });
			}
			if (options.threshold) {
				const crossedNow = crosses(vitals.values[options.threshold.path], options.threshold);
				if (crossedNow !== undefined) {
					const wasCrossed = before?.crossed;
					const firstReading = wasCrossed === undefined;
					const fire = crossedNow && (firstReading ? !quiet && before === undefined : !wasCrossed);
					if (fire && watching.has('vitalsThreshold')) {
						const path = options.threshold.path;
						changes.push({
							event: 'vitalsThreshold',
							...base,
							vitalsUpdatedAt: vitals.updatedAt,
							changes: { [path]: { previous: before?.vitals?.[path], current: vitals.values[path] } },
							threshold: options.threshold,
						});
					}
					state.crossed = crossedNow;
				}
			}
			state.vitalsAt = vitals.updatedAt;
			state.vitals = keptValues(vitals.values, options);
		}
		next.devices[device.id] = state;
	}
	return { changes, next };
}

/** What the vitals operations share: the device target fields and the record shape Particle answers with. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { DeviceScope } from '../../../shared/paths';
import type { RateLimitGate } from '../../../shared/transport';
import { readDevice, readDeviceScope } from '../common';

export interface DiagnosticsRecord extends IDataObject {
	updated_at?: string;
	deviceID?: string;
	payload?: IDataObject;
}

export interface VitalsTarget {
	scope: DeviceScope;
	device: string;
}

export async function readVitalsTarget(
	this: IExecuteFunctions,
	itemIndex: number,
	gate: RateLimitGate,
): Promise<VitalsTarget> {
	const scope = readDeviceScope.call(this, itemIndex);
	return { scope, device: await readDevice.call(this, itemIndex, scope, gate) };
}

/** One vitals record as an item: the device, when, and the payload (nested, or flattened to dotted keys). */
export function recordItem(record: DiagnosticsRecord, device: string, flatten: (payload: unknown) => IDataObject | undefined): IDataObject {
	const payload = record.payload ?? {};
	return {
		deviceId: record.deviceID ?? device,
		updatedAt: record.updated_at ?? null,
		...(flatten(payload) ?? { payload }),
	};
}

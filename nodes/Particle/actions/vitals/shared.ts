/** What the vitals operations share: the device they read, the record shape Particle answers with, Flatten, 404 words. */
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

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

/** Get Last's and Get History's Flatten option. */
export function flattenField(operations: string[]): INodeProperties {
	return {
		displayName: 'Flatten',
		name: 'flatten',
		type: 'boolean',
		default: false,
		description: 'Whether to return the vitals as dotted keys (device.power.battery.charge) instead of a nested payload',
		displayOptions: { show: { resource: ['vitals'], operation: operations } },
	};
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

export interface NotFoundText {
	message: string;
	description: string;
}

/**
 * Runs a vitals request; a 404 gets the operation's own words (what a 404 means there), Particle's words kept in the
 * description. Any other failure passes unchanged.
 */
export async function explainNotFound<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	text: NotFoundText,
	send: () => Promise<T>,
): Promise<T> {
	let failed: unknown;
	try {
		return await send();
	} catch (error) {
		failed = error;
	}
	// The transport's errors are NodeApiErrors already: anything but a 404 goes on exactly as it came.
	if (!(failed instanceof NodeApiError) || failed.httpCode !== '404') throw failed;
	const response: JsonObject = { status: 404, message: text.message };
	throw new NodeApiError(context.getNode(), response, {
		message: text.message,
		description: `${text.description} (${failed.message})`,
		httpCode: '404',
		itemIndex,
		...(failed.failure ? { failure: failed.failure } : {}),
	});
}

/** What the vitals operations share: the record shape Particle answers with, Flatten, 404 words. */
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ParticleClient } from '../../../shared/client';
import { vitalsPath } from '../../../shared/paths';
import { readDeviceTarget } from '../common';

export interface DiagnosticsRecord extends IDataObject {
	updated_at?: string;
	deviceID?: string;
	payload?: IDataObject;
}

/** Get Last's and Get History's Flatten option. */
export function flattenField(): INodeProperties {
	return {
		displayName: 'Flatten',
		name: 'flatten',
		type: 'boolean',
		default: false,
		description: 'Whether to return the vitals as dotted keys (device.power.battery.charge) instead of a nested payload',
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
 * One vitals read of the item's device (`GET /v1/diagnostics/:device/<part>` or its product form). A 404 gets the
 * operation's own words (what a 404 means there), Particle's words kept in the description; any other failure passes
 * unchanged.
 */
export async function readDeviceVitals<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	client: ParticleClient,
	part: 'last' | 'metadata',
	notFound: NotFoundText,
): Promise<{ device: string; response: T }> {
	const { scope, device } = await readDeviceTarget.call(context, itemIndex, client);
	let failed: unknown;
	try {
		return { device, response: await client.get<T>(vitalsPath(scope, device, part)) };
	} catch (error) {
		failed = error;
	}
	// The transport's errors are NodeApiErrors already: anything but a 404 goes on exactly as it came.
	if (!(failed instanceof NodeApiError) || failed.httpCode !== '404') throw failed;
	const response: JsonObject = { status: 404, message: notFound.message };
	throw new NodeApiError(context.getNode(), response, {
		message: notFound.message,
		description: `${notFound.description} (${failed.message})`,
		httpCode: '404',
		itemIndex,
		...(failed.failure ? { failure: failed.failure } : {}),
	});
}

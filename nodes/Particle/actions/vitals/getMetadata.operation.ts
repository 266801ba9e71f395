import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { deviceTargetFields } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { readDeviceVitals, type NotFoundText } from './shared';

export const description = fieldsFor('vitals', 'getMetadata', [
	{
		displayName:
			'Deprecated: Particle\'s current API reference no longer lists the vitals metadata endpoint, so it may stop answering. Use Get Last instead: its payload carries the units, and Particle\'s device vitals reference describes each field.',
		name: 'metadataDeprecatedNotice',
		type: 'notice',
		default: '',
	},
	...deviceTargetFields(),
]);

/** The endpoint is in an older version of Particle's reference only. */
const RETIRED: NotFoundText = {
	message: 'Particle did not find the vitals metadata: the endpoint may be retired',
	description:
		'Particle\'s current API reference no longer lists GET /v1/diagnostics/:deviceId/metadata. Use Vitals > Get Last (its payload carries the units) with Particle\'s device vitals reference. If the endpoint still answers elsewhere, check the device ID and product.',
};

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { device, response } = await readDeviceVitals<{ diagnostics_metadata?: IDataObject }>(this, itemIndex, client, 'metadata', RETIRED);
	return { deviceId: device, metadata: response.diagnostics_metadata ?? response };
}

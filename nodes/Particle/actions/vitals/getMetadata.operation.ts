import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vitalsPath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceTargetFields } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { explainNotFound, readVitalsTarget, type NotFoundText } from './shared';

const show = { resource: ['vitals'], operation: ['getMetadata'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Deprecated: Particle\'s current API reference no longer lists the vitals metadata endpoint, so it may stop answering. Use Get Last instead: its payload carries the units, and Particle\'s device vitals reference describes each field.',
		name: 'metadataDeprecatedNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	...deviceTargetFields(show),
];

/** The endpoint is in an older version of Particle's reference only. */
const RETIRED: NotFoundText = {
	message: 'Particle did not find the vitals metadata: the endpoint may be retired',
	description:
		'Particle\'s current API reference no longer lists GET /v1/diagnostics/:deviceId/metadata. Use Vitals > Get Last (its payload carries the units) with Particle\'s device vitals reference. If the endpoint still answers elsewhere, check the device ID and product.',
};

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const { scope, device } = await readVitalsTarget.call(this, itemIndex, gate);
	const response = await explainNotFound(this, itemIndex, RETIRED, async () =>
		request<{ diagnostics_metadata?: IDataObject }>(this, { method: 'GET', path: vitalsPath(scope, device, 'metadata'), itemIndex, gate }),
	);
	return { deviceId: device, metadata: response.diagnostics_metadata ?? response };
}

import type { IExecuteFunctions } from 'n8n-workflow';

import { segment, v1Path } from '../../../shared/paths';
import { throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { platformField, platformQuery } from './fields';

/** Device OS versions are semantic versions: 6.2.1, 6.3.0-rc.1. */
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export const description = fieldsFor('deviceOs', 'get', [
	{
		displayName: 'Version',
		name: 'version',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 6.2.1',
		description: 'The Device OS version, such as 6.2.1 or 6.3.0-rc.1',
	},
	platformField('With a platform, Particle also lists the version’s modules (binaries) for it'),
]);

/** GET /v1/device-os/versions/:version with `platform_id`: particle-api-js's getDeviceOsVersion (unconfirmed beyond it). */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const version = String(this.getNodeParameter('version', itemIndex, '', { ensureType: 'string' })).trim();
	if (!VERSION.test(version)) {
		throwIfInvalid(this, { field: 'Version', message: `Version must be a Device OS version such as 6.2.1 (got "${version.slice(0, 40)}")` }, itemIndex);
	}
	const query = platformQuery.call(this, itemIndex);
	return await client.get(v1Path('device-os', 'versions', segment(version, 'Version')), { query });
}

import type { IExecuteFunctions } from 'n8n-workflow';

import { vitalsPath } from '../../../shared/paths';
import { deviceTargetFields, readDeviceTarget } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';

export const description = fieldsFor('vitals', 'refresh', deviceTargetFields());

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { scope, device } = await readDeviceTarget.call(this, itemIndex, client);
	// Particle answers 202 as soon as the request is sent; the device then publishes spark/device/diagnostics/update.
	return { ...(await client.send('POST', vitalsPath(scope, device, 'update'))), deviceId: device, requested: true };
}

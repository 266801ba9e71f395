import type { IExecuteFunctions } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { deviceTargetFields, readDeviceTarget } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';

export const description = fieldsFor('device', 'unclaim', deviceTargetFields());

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { scope, device } = await readDeviceTarget.call(this, itemIndex, client);
	// A sandbox device is released by deleting it; a product device keeps its place and loses its owner.
	const path = scope.kind === 'product' ? devicePath(scope, device, 'owner') : devicePath(scope, device);
	return { id: device, ...(await client.send('DELETE', path)), unclaimed: true };
}

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { deviceTargetFields, readDeviceTarget } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';

export const description = fieldsFor('device', 'ping', deviceTargetFields());

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { scope, device } = await readDeviceTarget.call(this, itemIndex, client);
	return { id: device, ...(await client.send<IDataObject>('PUT', devicePath(scope, device, 'ping'))) };
}

import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { changeMembership, membershipFields } from './membership';

export const description = fieldsFor('deviceGroup', 'assignDevices', membershipFields('add'));

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	return await changeMembership.call(this, itemIndex, context, 'add');
}

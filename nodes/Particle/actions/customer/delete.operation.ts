import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readCustomerTarget } from './fields';

export const description = fieldsFor('customer', 'delete', customerTargetFields());

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { customer, path } = readCustomerTarget.call(this, itemIndex);
	const response = await client.send('DELETE', path);
	return { ...response, customer, deleted: true };
}

import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import { readProduct } from '../common';
import { firmwareProductField } from '../productFirmware/fields';
import type { OperationContext, OperationResult } from '../types';
import { groupField, groupsPath, readGroupName } from './fields';

export const description = fieldsFor('deviceGroup', 'delete', [
	firmwareProductField,
	groupField({ description: 'The group to delete. Its devices stay in the product and leave the group; firmware released to it no longer reaches them through it.' }),
]);

/** "Delete device group" answers 204. A delete is never sent twice (see backoff.ts). */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const name = readGroupName.call(this, itemIndex);
	await client.send('DELETE', groupsPath(product, name));
	return { name, deleted: true };
}

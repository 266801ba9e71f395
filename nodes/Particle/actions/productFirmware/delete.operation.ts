import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { readProduct } from '../common';
import { firmwarePath, firmwareProductField, readVersion, versionField } from './fields';

export const description = fieldsFor('productFirmware', 'delete', [
	firmwareProductField,
	versionField('The firmware version to delete. Particle deletes only a version that has never been released.'),
]);

/** "Delete unreleased firmware binary" answers 204 with no body. A delete is never sent twice (see backoff.ts). */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const version = readVersion.call(this, itemIndex);
	await client.send('DELETE', firmwarePath(product, version));
	return { product, version, deleted: true };
}

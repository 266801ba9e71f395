import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { productPath, segment } from '../../../shared/paths';
import { deviceField, productField, readDeviceTarget } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { boundingBoxFilters, boundingBoxQuery } from './fields';

export const description = fieldsFor('location', 'getLast', [
	productField(),
	deviceField({}, { description: 'A Tracker of the product', dependsOn: ['product.value'] }),
	boundingBoxFilters,
]);

/** "Query location for one device within a product" without `date_range`: "Omitting date_range will return last known location." */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { scope, device } = await readDeviceTarget.call(this, itemIndex, client, true);
	const query = boundingBoxQuery.call(this, itemIndex);
	const product = scope.kind === 'product' ? scope.product : '';
	const answer = await client.get<IDataObject>(productPath(product, 'locations', segment(device, 'Device')), { query });
	const location = answer.location;
	return typeof location === 'object' && location !== null && !Array.isArray(location) ? (location as IDataObject) : answer;
}

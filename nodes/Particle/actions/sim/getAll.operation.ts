import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { expectListIn } from '../../../shared/shapes';
import { request, requestAllPages } from '../../../shared/transport';
import { readDeviceScope, readLimit, returnAllOrLimit } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { simPath, simTargetFields } from './fields';

const show = { resource: ['sim'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...simTargetFields('getAll', false),
	...returnAllOrLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Filters the product SIMs on the Particle side',
		displayOptions: { show: { ...show, deviceScope: ['product'] } },
		options: [
			{ displayName: 'Device ID Contains', name: 'deviceId', type: 'string', default: '' },
			{ displayName: 'Device Name Contains', name: 'deviceName', type: 'string', default: '' },
			{ displayName: 'ICCID Contains', name: 'iccid', type: 'string', default: '' },
		],
	},
];

/** Only the filters the user set; their names are Particle's query keys. */
function filterQuery(filters: IDataObject): IDataObject {
	const query: IDataObject = {};
	for (const [key, value] of Object.entries(filters)) {
		if (typeof value === 'string' && value.trim() !== '') query[key] = value.trim();
	}
	return query;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const path = simPath.call(this, itemIndex, false);
	const limit = readLimit.call(this, itemIndex);
	if (readDeviceScope.call(this, itemIndex).kind === 'product') {
		const query = filterQuery(this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
		return await requestAllPages<IDataObject>(
			this,
			{ method: 'GET', path, query, itemIndex, gate },
			// "List SIM cards" documents the page size as `perPage`.
			{ itemsKey: 'sims', limit, pageSizeParameter: 'perPage' },
		);
	}
	// The sandbox list comes in one answer, without pages or filters.
	const response = await request<unknown>(this, { method: 'GET', path, itemIndex, gate });
	const sims = expectListIn(this, response, 'sims', 'SIM list', itemIndex);
	return limit === undefined ? sims : sims.slice(0, limit);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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
		description: 'Product SIMs only: filtered on the Particle side',
		displayOptions: { show: { ...show, deviceScope: ['product'] } },
		options: [
			{ displayName: 'Device ID Contains', name: 'deviceId', type: 'string', default: '' },
			{ displayName: 'Device Name Contains', name: 'deviceName', type: 'string', default: '' },
			{ displayName: 'ICCID Contains', name: 'iccid', type: 'string', default: '' },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const path = simPath.call(this, itemIndex, false);
	const limit = readLimit.call(this, itemIndex);
	if (readDeviceScope.call(this, itemIndex).kind === 'product') {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const query = Object.fromEntries(Object.entries(filters).filter(([, value]) => typeof value === 'string' && value.trim() !== ''));
		return await requestAllPages<IDataObject>(this, { method: 'GET', path, query, itemIndex, gate }, { itemsKey: 'sims', limit });
	}
	const response = await request<{ sims?: IDataObject[] }>(this, { method: 'GET', path, itemIndex, gate });
	const sims = response.sims ?? [];
	return limit === undefined ? sims : sims.slice(0, limit);
}

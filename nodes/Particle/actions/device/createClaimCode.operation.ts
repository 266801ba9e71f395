import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath, v1Path } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceScopeField, productField, readDeviceScope } from '../common';
import type { OperationContext, OperationResult } from '../types';

const show = { resource: ['device'], operation: ['createClaimCode'] };

export const description: INodeProperties[] = [
	deviceScopeField(show),
	productField({ ...show, deviceScope: ['product'] }),
	{
		displayName: 'Options',
		name: 'claimOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'ICCID', name: 'iccid', type: 'string', default: '', description: 'SIM of a cellular device' },
			{ displayName: 'IMEI', name: 'imei', type: 'string', default: '', description: 'Modem of a cellular device' },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const options = this.getNodeParameter('claimOptions', itemIndex, {}) as { iccid?: string; imei?: string };
	const body: IDataObject = {};
	if (options.iccid?.trim()) body.iccid = options.iccid.trim();
	if (options.imei?.trim()) body.imei = options.imei.trim();
	return await request<IDataObject>(this, {
		method: 'POST',
		path: scope.kind === 'product' ? productPath(scope.product, 'device_claims') : v1Path('device_claims'),
		body,
		itemIndex,
		gate,
	});
}

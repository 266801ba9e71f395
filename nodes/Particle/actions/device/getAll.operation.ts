import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { devicesPath } from '../../../shared/paths';
import { expectList } from '../../../shared/shapes';
import { request, requestAllPages } from '../../../shared/transport';
import {
	deviceScopeField,
	productField,
	readDeviceScope,
	readLimit,
	returnAllOrLimit,
	simplifyField,
} from '../common';
import type { OperationContext, OperationResult } from '../types';
import { shapeDevice } from './simplify';

const show = { resource: ['device'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	deviceScopeField(show),
	productField({ ...show, deviceScope: ['product'] }),
	...returnAllOrLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Filters the product fleet on the Particle side',
		displayOptions: { show: { ...show, deviceScope: ['product'] } },
		options: [
			{
				displayName: 'Device ID Contains',
				name: 'deviceId',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Device Name Contains',
				name: 'deviceName',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Groups',
				name: 'groups',
				type: 'string',
				default: '',
				placeholder: 'e.g. field,beta',
				description: 'Comma-separated group names; devices in any of them are returned',
			},
			{
				displayName: 'Quarantined Only',
				name: 'quarantined',
				type: 'boolean',
				default: false,
				description: 'Whether to return only devices waiting in quarantine',
			},
			{
				displayName: 'Serial Number Contains',
				name: 'serialNumber',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Sort By',
				name: 'sortAttr',
				type: 'options',
				default: 'lastConnection',
				options: [
					{ name: 'Device ID', value: 'deviceId' },
					{ name: 'Device Name', value: 'deviceName' },
					{ name: 'Firmware Version', value: 'firmwareVersion' },
					{ name: 'Last Connection', value: 'lastConnection' },
				],
			},
			{
				displayName: 'Sort Direction',
				name: 'sortDir',
				type: 'options',
				default: 'desc',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
			},
		],
	},
	simplifyField(show, 'device'),
];

/** Only the filters the user set, as Particle's query keys. */
function productQuery(filters: IDataObject): IDataObject {
	const query: IDataObject = {};
	for (const [key, value] of Object.entries(filters)) {
		if (value === '' || value === undefined || value === null) continue;
		if (key === 'quarantined') {
			if (value === true) query.quarantined = true;
			continue;
		}
		query[key] = typeof value === 'string' ? value.trim() : value;
	}
	return query;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const limit = readLimit.call(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	let devices: IDataObject[];
	if (scope.kind === 'product') {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		devices = await requestAllPages<IDataObject>(
			this,
			{ method: 'GET', path: devicesPath(scope), query: productQuery(filters), itemIndex, gate },
			// "List devices in a product" documents the page size as `perPage`.
			{ itemsKey: 'devices', limit, pageSizeParameter: 'perPage' },
		);
	} else {
		// The sandbox list is one unpaged array.
		const response = await request<unknown>(this, { method: 'GET', path: devicesPath(scope), itemIndex, gate });
		const all = expectList(this, response, 'device list', itemIndex);
		devices = limit === undefined ? all : all.slice(0, limit);
	}
	return devices.map((device) => shapeDevice(device, simplify));
}

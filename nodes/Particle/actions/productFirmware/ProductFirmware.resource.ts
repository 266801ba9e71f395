import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as deleteFirmware from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as release from './release.operation';
import * as upload from './upload.operation';

export const productFirmwareOperations: ParticleOperations['productFirmware'] = { delete: deleteFirmware, get, getAll, release, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['productFirmware'] } },
		default: 'getAll',
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a firmware version that was never released',
				action: 'Delete product firmware',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one firmware version of a product: title, size, whether and to which groups it is released',
				action: 'Get product firmware',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the firmware versions of a product',
				action: 'Get many product firmware versions',
			},
			{
				name: 'Release',
				value: 'release',
				description: 'Release a version to device groups or as the product default: the devices download and run it (changes the fleet)',
				action: 'Release product firmware',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload a compiled firmware (.bin, or a .zip bundle) from an input binary field as a new version',
				action: 'Upload product firmware',
			},
		],
	},
	...getAll.description,
	...get.description,
	...upload.description,
	...release.description,
	...deleteFirmware.description,
];

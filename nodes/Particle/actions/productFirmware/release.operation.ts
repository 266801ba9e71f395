import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf } from '../../../shared/limits';
import { readProduct, throwIfInvalid } from '../common';
import { groupListField, readGroupNames } from '../deviceGroup/fields';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { firmwarePath, firmwareProductField, readFlag, readVersion, versionField } from './fields';

const RELEASE_TARGETS = ['groups', 'product'] as const;

export const description = fieldsFor('productFirmware', 'release', [
	firmwareProductField,
	versionField('The firmware version to release. Particle releases a version only once it has run on at least one device of the product.'),
	{
		displayName: 'Release To',
		name: 'releaseTo',
		type: 'options',
		default: 'groups',
		options: [
			{
				name: 'Device Groups',
				value: 'groups',
				description: 'Only the devices in these groups (not locked, not development devices) download and run this version',
			},
			{
				name: 'Whole Product (Default Release)',
				value: 'product',
				description: 'Every device of the product that is not locked to a version and not a development device downloads and runs this version',
			},
		],
	},
	{
		...groupListField('The groups to release the version to. Each group runs one released version: this one replaces the one released to it before.', true),
		displayOptions: { show: { releaseTo: ['groups'] } },
	},
	{
		displayName: 'Intelligent Release',
		name: 'intelligent',
		type: 'boolean',
		default: false,
		description:
			'Whether devices get the update without having to reconnect, and are told of it while they are not available for updating (Particle\'s intelligent firmware releases; Enterprise plans)',
	},
	{
		displayName: 'This changes the firmware that devices run: they download it and restart. Try it on a small group first.',
		name: 'releaseNotice',
		type: 'notice',
		default: '',
	},
]);

/**
 * "Release product firmware": `version`, `product_default` or `groups`, and `intelligent`. To groups, `product_default`
 * is left out, so the product's default release stays as it is. A release is never sent twice after a 5xx, a 408
 * or a reset (see backoff.ts): Particle may already have started updating devices.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const version = readVersion.call(this, itemIndex);
	const releaseTo: unknown = this.getNodeParameter('releaseTo', itemIndex, 'groups');
	throwIfInvalid(this, checkOneOf(releaseTo, 'Release To', RELEASE_TARGETS), itemIndex);
	const intelligent = readFlag.call(this, 'intelligent', itemIndex, false, 'Intelligent Release');
	const body: IDataObject = { version };
	if (releaseTo === 'product') {
		body.product_default = true;
	} else {
		const groups = readGroupNames.call(this, itemIndex);
		if (groups.length === 0) throwIfInvalid(this, { field: 'Groups', message: 'Groups is empty: add the groups to release the version to' }, itemIndex);
		body.groups = groups;
	}
	body.intelligent = intelligent;
	return await client.send<IDataObject>('PUT', firmwarePath(product, 'release'), { body });
}

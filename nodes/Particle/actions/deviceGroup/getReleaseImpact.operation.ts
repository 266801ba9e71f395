import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf } from '../../../shared/limits';
import { productPath } from '../../../shared/paths';
import { readProduct, throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import { firmwareProductField, readVersion, versionField } from '../productFirmware/fields';
import type { OperationContext, OperationResult } from '../types';
import { groupListField, readGroupNames } from './fields';

const AS_DEFAULT = ['keep', 'release', 'unrelease'] as const;

export const description = fieldsFor('deviceGroup', 'getReleaseImpact', [
	firmwareProductField,
	versionField('The firmware version you plan to release'),
	groupListField('The groups you plan to release the version to. None: how many devices an unrelease from every group would update.', false),
	{
		displayName: 'Product Default',
		name: 'productDefault',
		type: 'options',
		default: 'keep',
		options: [
			{ name: 'Leave As Is', value: 'keep', description: 'The plan does not change the product\'s default release' },
			{ name: 'Release as Product Default', value: 'release', description: 'The plan also makes this version the product default' },
			{ name: 'Unrelease as Product Default', value: 'unrelease', description: 'The version is the product default now, and the plan takes it off' },
		],
	},
]);

/**
 * "Impact of taking action" with `action=edit_groups_for_firmware`: how many devices would get an OTA update, by
 * version. Sent as a query, as the reference's example does. Its example answer nests `firmware_update` under
 * `devices`, its field table does not: either is read (unconfirmed).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const version = readVersion.call(this, itemIndex);
	const groups = readGroupNames.call(this, itemIndex);
	const asDefault: unknown = this.getNodeParameter('productDefault', itemIndex, 'keep');
	throwIfInvalid(this, checkOneOf(asDefault, 'Product Default', AS_DEFAULT), itemIndex);
	const query: IDataObject = {
		action: 'edit_groups_for_firmware',
		firmware_version: version,
		...(groups.length > 0 ? { groups: groups.join(',') } : {}),
		...(asDefault === 'keep' ? {} : { product_default: asDefault === 'release' }),
	};
	const response = await client.get<IDataObject>(productPath(product, 'impact'), { query });
	const nested = (response.devices as IDataObject | undefined)?.firmware_update ?? response.firmware_update;
	const impact = typeof nested === 'object' && nested !== null && !Array.isArray(nested) ? (nested as IDataObject) : response;
	return { version, groups, ...impact };
}

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readProduct, throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import { firmwareProductField } from '../productFirmware/fields';
import type { OperationContext, OperationResult } from '../types';
import { groupDetailFields, readGroupDetails } from './details';
import { checkGroupName, groupField, groupsPath, readGroupName } from './fields';

export const description = fieldsFor('deviceGroup', 'update', [
	firmwareProductField,
	groupField({ description: 'The group to change' }),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...groupDetailFields,
			{
				displayName: 'New Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. field-trial',
				description: 'A new name for the group; its devices and firmware releases follow it',
			},
		],
	},
]);

/** "Edit device group": at least one of `name`, `color`, `description`, as the reference requires. */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const group = readGroupName.call(this, itemIndex);
	const body = readGroupDetails.call(this, itemIndex, 'updateFields');
	const { name } = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	if (name !== undefined) {
		throwIfInvalid(this, checkGroupName(name, 'New Name'), itemIndex);
		body.name = String(name).trim();
	}
	if (Object.keys(body).length === 0) {
		throwIfInvalid(this, { field: 'Update Fields', message: 'Nothing to update: add a new name, a color or a description' }, itemIndex);
	}
	const response = await client.send<IDataObject>('PUT', groupsPath(product, group), { body });
	return (response.group as IDataObject | undefined) ?? response;
}

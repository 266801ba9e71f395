import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readProduct, throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import { firmwareProductField } from '../productFirmware/fields';
import type { OperationContext, OperationResult } from '../types';
import { checkGroupName, groupsPath } from './fields';
import { groupDetailFields, readGroupDetails } from './details';

export const description = fieldsFor('deviceGroup', 'create', [
	firmwareProductField,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. beta-testers',
		description: 'The group name: lowercase letters, numbers, dashes and underscores, at most 64 characters',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: groupDetailFields,
	},
]);

/** "Create device group": `name`, optional `color` and `description`; Particle answers `{ group }`. */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const name: unknown = this.getNodeParameter('name', itemIndex, '');
	throwIfInvalid(this, checkGroupName(name, 'Name'), itemIndex);
	const details = readGroupDetails.call(this, itemIndex, 'additionalFields');
	const response = await client.send<IDataObject>('POST', groupsPath(product), { body: { name: String(name).trim(), ...details } });
	return (response.group as IDataObject | undefined) ?? response;
}

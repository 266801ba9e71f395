/**
 * Putting devices into a group and taking them out, the two ways Particle documents: "Batch assign groups to devices"
 * (one request for every device: `action`, `devices`, `metadata.add` / `metadata.remove`) and "Assign groups to a
 * device", an absolute list per device, so each device's groups are read first and written back with the change.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkOneOf } from '../../../shared/limits';
import { devicePath, productPath } from '../../../shared/paths';
import { readProduct, throwIfInvalid } from '../common';
import { firmwareProductField } from '../productFirmware/fields';
import type { OperationContext, OperationResult } from '../types';
import { deviceIdsField, groupField, readDeviceIds, readGroupName } from './fields';

type Change = 'add' | 'remove';
const SEND_AS = ['batch', 'eachDevice'] as const;

export function membershipFields(change: Change): INodeProperties[] {
	return [
		firmwareProductField,
		groupField({ description: change === 'add' ? 'The group to put the devices in' : 'The group to take the devices out of' }),
		deviceIdsField,
		{
			displayName: 'Send As',
			name: 'sendAs',
			type: 'options',
			default: 'batch',
			options: [
				{
					name: 'One Batch Request',
					value: 'batch',
					description: 'One request for all the devices (Particle\'s batch assignment); one output item',
				},
				{
					name: 'One Update per Device',
					value: 'eachDevice',
					description: 'Each device\'s groups are read and written back with the change (two requests a device); one output item per device, with its groups',
				},
			],
		},
	];
}

function groupsOf(found: IDataObject): string[] {
	return Array.isArray(found.groups) ? found.groups.filter((group): group is string => typeof group === 'string') : [];
}

/** Adds the devices to the group or removes them from it; device IDs and the group are checked before anything is sent. */
export async function changeMembership(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext, change: Change): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const group = readGroupName.call(this, itemIndex);
	const devices = readDeviceIds.call(this, itemIndex);
	const sendAs: unknown = this.getNodeParameter('sendAs', itemIndex, 'batch');
	throwIfInvalid(this, checkOneOf(sendAs, 'Send As', SEND_AS), itemIndex);

	if (sendAs === 'batch') {
		const body = { action: 'groups', devices, metadata: { [change]: [group] } };
		const response = await client.send<IDataObject>('PUT', productPath(product, 'devices'), { body });
		return { ...response, group, [change === 'add' ? 'added' : 'removed']: devices };
	}
	const scope = { kind: 'product', product } as const;
	const results: IDataObject[] = [];
	for (const device of devices) {
		const current = groupsOf(await client.get<IDataObject>(devicePath(scope, device)));
		const groups = change === 'add' ? [...new Set([...current, group])] : current.filter((name) => name !== group);
		results.push(await client.send<IDataObject>('PUT', devicePath(scope, device), { body: { groups } }));
	}
	return results;
}

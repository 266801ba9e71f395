import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkName } from '../../../shared/limits';
import { devicePath, segment } from '../../../shared/paths';
import {
	deviceMemberField,
	deviceTargetFields,
	optionsCollection,
	readDevice,
	readDeviceScope,
	readMemberName,
	requestFromDevice,
	simplifyField,
	throwIfInvalid,
} from '../common';
import type { OperationContext, OperationResult } from '../types';

const show = { resource: ['variable'], operation: ['get'] };

export const description: INodeProperties[] = [
	...deviceTargetFields(show),
	deviceMemberField(
		{
			displayName: 'Variable',
			name: 'variableName',
			searchListMethod: 'searchVariables',
			placeholder: 'e.g. temperature',
			description:
				'A variable the firmware registered with Particle.variable(); the list shows the chosen device\'s. The device is asked live, so it must be online; each read costs a Data Operation.',
		},
		show,
	),
	simplifyField(show, 'variable'),
	optionsCollection(show),
];

interface VariableResponse extends IDataObject {
	name?: string;
	result?: number | string | boolean;
	coreInfo?: { deviceID?: string; name?: string; connected?: boolean; last_heard?: string; last_handshake_at?: string };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const variableName = readMemberName.call(this, 'variableName', itemIndex);
	throwIfInvalid(this, checkName(variableName, 'Variable name'), itemIndex);
	const device = await readDevice.call(this, itemIndex, scope, gate);

	const response = await requestFromDevice<VariableResponse>(
		this,
		{ method: 'GET', path: devicePath(scope, device, segment(variableName, 'Variable name')), itemIndex, gate },
		{ scope, device },
	);
	if (!(this.getNodeParameter('simplify', itemIndex, true) as boolean)) return response;
	// The value keeps the type Particle gives it (number, string or boolean).
	return {
		name: response.name ?? variableName,
		value: response.result ?? null,
		deviceId: response.coreInfo?.deviceID ?? device,
		deviceName: response.coreInfo?.name ?? null,
		connected: response.coreInfo?.connected ?? null,
		...(response.coreInfo?.last_heard ? { lastHeard: response.coreInfo.last_heard } : {}),
	};
}

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { deviceMemberField, deviceTargetFields, optionsCollection, requestFromDevice, simplifyField } from '../common';
import { readDeviceMember } from '../deviceMember';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';

export const description = fieldsFor('variable', 'get', [
	...deviceTargetFields(),
	deviceMemberField({
		displayName: 'Variable',
		name: 'variableName',
		searchListMethod: 'searchVariables',
		placeholder: 'e.g. temperature',
		description:
			'A variable the firmware registered with Particle.variable(); the list shows the chosen device\'s. The device is asked live, so it must be online; each read costs a Data Operation.',
	}),
	simplifyField({}, 'variable'),
	optionsCollection('variable', 'get'),
]);

interface VariableResponse extends IDataObject {
	name?: string;
	result?: number | string | boolean;
	coreInfo?: { deviceID?: string; name?: string; connected?: boolean; last_heard?: string; last_handshake_at?: string };
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const variable = await readDeviceMember.call(this, itemIndex, client, 'variableName', 'Variable name');
	const { device } = variable;
	const response = await requestFromDevice<VariableResponse>(this, client, variable, { method: 'GET', path: variable.path });
	if (!(this.getNodeParameter('simplify', itemIndex, true) as boolean)) return response;
	// The value keeps the type Particle gives it (number, string or boolean).
	return {
		name: response.name ?? variable.name,
		value: response.result ?? null,
		deviceId: response.coreInfo?.deviceID ?? device,
		deviceName: response.coreInfo?.name ?? null,
		connected: response.coreInfo?.connected ?? null,
		...(response.coreInfo?.last_heard ? { lastHeard: response.coreInfo.last_heard } : {}),
	};
}

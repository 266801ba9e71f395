/** What Variable > Get and Function > Call share: the variable or function an item names, on its device. */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ParticleClient } from '../../shared/client';
import { checkName } from '../../shared/limits';
import { devicePath, segment } from '../../shared/paths';
import { readDevice, readDeviceScope, readMemberName, throwIfInvalid, type DeviceTarget } from './common';

export interface DeviceMember extends DeviceTarget {
	name: string;
	/** `/v1/devices/:device/:name` or its product form. */
	path: string;
}

/** The member's name, checked before anything is sent, and its device (a name in a product is looked up first). */
export async function readDeviceMember(
	this: IExecuteFunctions,
	itemIndex: number,
	client: ParticleClient,
	parameter: 'variableName' | 'functionName',
	label: 'Variable name' | 'Function name',
): Promise<DeviceMember> {
	const scope = readDeviceScope.call(this, itemIndex);
	const name = readMemberName.call(this, parameter, itemIndex);
	throwIfInvalid(this, checkName(name, label), itemIndex);
	const device = await readDevice.call(this, itemIndex, scope, client);
	return { scope, device, name, path: devicePath(scope, device, segment(name, label)) };
}

import { devicePath } from '../../../shared/paths';
import { deviceTargetFields, readDevice, readDeviceScope, simplifyField } from '../common';
import { getOperation } from '../kit';
import { shapeDevice } from './simplify';

export const { description, execute } = getOperation({
	resource: 'device',
	operation: 'get',
	fields: [...deviceTargetFields(), simplifyField({}, 'device')],
	async path(itemIndex, client) {
		const scope = readDeviceScope.call(this, itemIndex);
		return devicePath(scope, await readDevice.call(this, itemIndex, scope, client));
	},
	shape(device, itemIndex) {
		return shapeDevice(device, this.getNodeParameter('simplify', itemIndex, true) as boolean);
	},
});

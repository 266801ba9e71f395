import { getOperation } from '../kit';
import { readProduct } from '../common';
import { firmwareProductField } from '../productFirmware/fields';
import { groupField, groupsPath, readGroupName } from './fields';

/** "Get device group": `{ group: { name, description, color, fw_version, device_count } }`. */
export const { description, execute } = getOperation({
	resource: 'deviceGroup',
	operation: 'get',
	fields: [firmwareProductField, groupField()],
	path(itemIndex) {
		return groupsPath(readProduct.call(this, itemIndex), readGroupName.call(this, itemIndex));
	},
	unwrap: 'group',
});

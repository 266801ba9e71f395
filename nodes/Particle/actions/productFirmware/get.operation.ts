import { getOperation } from '../kit';
import { readProduct } from '../common';
import { firmwarePath, firmwareProductField, readVersion, versionField } from './fields';

export const { description, execute } = getOperation({
	resource: 'productFirmware',
	operation: 'get',
	fields: [firmwareProductField, versionField('The firmware version to get')],
	path(itemIndex) {
		return firmwarePath(readProduct.call(this, itemIndex), readVersion.call(this, itemIndex));
	},
});

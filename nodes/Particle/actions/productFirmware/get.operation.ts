import { getOperation } from '../kit';
import { firmwarePath, firmwareProductField, readProduct, readVersion, versionField } from './fields';

export const { description, execute } = getOperation({
	resource: 'productFirmware',
	operation: 'get',
	fields: [firmwareProductField, versionField('The firmware version to get')],
	path(itemIndex) {
		return firmwarePath(readProduct.call(this, itemIndex), readVersion.call(this, itemIndex));
	},
});

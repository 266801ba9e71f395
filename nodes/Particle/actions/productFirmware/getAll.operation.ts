import { listOperation } from '../kit';
import { readProduct } from '../common';
import { firmwarePath, firmwareProductField } from './fields';

/** "List all product firmwares": the answer is the list itself, in one piece. */
export const { description, execute } = listOperation({
	resource: 'productFirmware',
	operation: 'getAll',
	fields: [firmwareProductField],
	what: 'firmware list',
	source(itemIndex) {
		return { path: firmwarePath(readProduct.call(this, itemIndex)) };
	},
});

/** The head of the operations that exist only for product devices (no "Devices In"): the product, then the device. */
import type { INodeProperties } from 'n8n-workflow';

import { deviceField, productField } from '../common';

export function productDeviceFields(productDescription: string): INodeProperties[] {
	return [{ ...productField(), description: productDescription }, deviceField({})];
}

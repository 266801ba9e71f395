/** Product firmware: versions are whole numbers, one product's firmware lives under `/v1/products/:product/firmware`. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { describeValue } from '../../../shared/limits';
import { productPath, segment } from '../../../shared/paths';
import { productField, readNumber, throwIfInvalid } from '../common';

/**
 * Device OS keeps PRODUCT_VERSION in 16 bits, so versions above 65535 cannot be built into firmware (the upper
 * bound is the firmware's, unconfirmed for the cloud).
 */
export const MAX_FIRMWARE_VERSION = 65535;

export const firmwareProductField: INodeProperties = { ...productField(), description: 'The product whose firmware this is, by ID or slug' };

export function versionField(description: string): INodeProperties {
	return {
		displayName: 'Version',
		name: 'version',
		type: 'number',
		required: true,
		default: 1,
		typeOptions: { minValue: 1, maxValue: MAX_FIRMWARE_VERSION, numberPrecision: 0 },
		description,
	};
}

/** The item's version: a whole number from 1 to 65535, from the field or an expression. */
export function readVersion(this: IExecuteFunctions, itemIndex: number, name = 'version', field = 'Version'): number {
	const version = readNumber.call(this, name, itemIndex, 1, field, { whole: true, min: 1 });
	if (version > MAX_FIRMWARE_VERSION) {
		throwIfInvalid(this, { field, message: `${field} must be ${MAX_FIRMWARE_VERSION} or less (got ${version}): PRODUCT_VERSION is a 16-bit number` }, itemIndex);
	}
	return version;
}

/** The item's product (ID or slug). */
/** `/v1/products/:product/firmware[/...]` */
export function firmwarePath(product: string, ...rest: Array<string | number>): string {
	return productPath(product, 'firmware', ...rest.map((part) => (typeof part === 'number' ? segment(part, 'Version') : part)));
}

/** A boolean field as an expression may set it: true or false, or their text; anything else is refused. */
export function readFlag(this: IExecuteFunctions, name: string, itemIndex: number, fallback: boolean, field: string): boolean {
	const value: unknown = this.getNodeParameter(name, itemIndex, fallback);
	if (value === true || value === false) return value;
	const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (text === 'true' || text === 'false') return text === 'true';
	throwIfInvalid(this, { field, message: `${field} must be true or false (got ${describeValue(value)})` }, itemIndex);
	return fallback;
}

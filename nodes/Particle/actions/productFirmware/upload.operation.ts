import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import { readProduct, throwIfInvalid } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { firmwarePath, firmwareProductField, readVersion, versionField } from './fields';

/** The reference: a title "handy for quickly identifying the firmware"; Particle documents no length, this is a sane bound. */
const MAX_TITLE_LENGTH = 255;

export const description = fieldsFor('productFirmware', 'upload', [
	firmwareProductField,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field holding the firmware: a .bin file, or a .zip bundle',
		description: 'The binary field of the input item that holds the compiled firmware (for example from Read/Write Files from Disk or an HTTP Request)',
	},
	versionField('The version of this firmware: the PRODUCT_VERSION it was compiled with, not used by the product yet'),
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. v12 battery fix',
		description: 'A short title that identifies the firmware in the Console',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		description: 'What changed in this version',
	},
]);

/** A `.bin` goes as a binary; a `.zip` is a bundle, which the reference says must be sent as `application/zip`. */
function firmwareFile(this: IExecuteFunctions, itemIndex: number, fileName: string | undefined): { filename: string; contentType: string } {
	const filename = (fileName ?? '').trim() || 'firmware.bin';
	const extension = /\.([^./\\]+)$/.exec(filename)?.[1]?.toLowerCase();
	if (extension === 'zip') return { filename, contentType: 'application/zip' };
	if (extension !== 'bin') {
		throwIfInvalid(
			this,
			{ field: 'Input Binary Field', message: `The file "${filename.slice(0, 60)}" is neither a .bin firmware binary nor a .zip bundle` },
			itemIndex,
		);
	}
	return { filename, contentType: 'application/octet-stream' };
}

/**
 * "Upload product firmware": multipart with `version`, `title`, `description` and the file as `file`. A POST, so it is
 * never sent twice after a 5xx, a 408 or a reset: the version may have been stored.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const version = readVersion.call(this, itemIndex);
	const title = String(this.getNodeParameter('title', itemIndex, '', { ensureType: 'string' })).trim();
	if (title === '') throwIfInvalid(this, { field: 'Title', message: 'Title is empty: Particle requires a title for each firmware version' }, itemIndex);
	if (title.length > MAX_TITLE_LENGTH) throwIfInvalid(this, { field: 'Title', message: `Title is ${title.length} characters; at most ${MAX_TITLE_LENGTH}` }, itemIndex);
	const notes = String(this.getNodeParameter('description', itemIndex, '', { ensureType: 'string' }));
	const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	const binary = this.helpers.assertBinaryData(itemIndex, property);
	const { filename, contentType } = firmwareFile.call(this, itemIndex, binary.fileName);
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	if (data.length === 0) throwIfInvalid(this, { field: 'Input Binary Field', message: `The file "${filename.slice(0, 60)}" is empty` }, itemIndex);
	const fields: Record<string, string> = { version: String(version), title, ...(notes.trim() !== '' ? { description: notes } : {}) };
	return await client.send<IDataObject>('POST', firmwarePath(product), {
		multipart: { fields, files: [{ name: 'file', filename, contentType, data }] },
	});
}

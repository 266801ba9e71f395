/** A group's description and Console color, as Create and Update take them. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { describeValue, textOf } from '../../../shared/limits';
import { throwIfInvalid } from '../common';

/** The reference: color is "a hex value"; its examples write "#e74c3c", as n8n's color field does. */
const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
/** Particle documents no length for a group's description; a bound so a runaway expression is not sent. */
const MAX_DESCRIPTION_LENGTH = 1000;

export const groupDetailFields: INodeProperties[] = [
	{
		displayName: 'Color',
		name: 'color',
		type: 'color',
		default: '#34495e',
		description: 'The color of the group\'s tag in the Console',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: 'What the group is for',
	},
];

/** The set details of a collection (`additionalFields`, `updateFields`), checked; their names are Particle's fields. */
export function readGroupDetails(this: IExecuteFunctions, itemIndex: number, collection: string): IDataObject {
	const fields = this.getNodeParameter(collection, itemIndex, {}) as IDataObject;
	const details: IDataObject = {};
	if (fields.color !== undefined) {
		const color = textOf(fields.color)?.trim() ?? '';
		if (!COLOR_PATTERN.test(color)) {
			throwIfInvalid(this, { field: 'Color', message: `Color must be a hex color such as #e74c3c (got ${describeValue(fields.color)})` }, itemIndex);
		}
		details.color = color;
	}
	if (fields.description !== undefined) {
		const text = textOf(fields.description);
		if (text === undefined) throwIfInvalid(this, { field: 'Description', message: `Description must be text (got ${describeValue(fields.description)})` }, itemIndex);
		if ((text ?? '').length > MAX_DESCRIPTION_LENGTH) {
			throwIfInvalid(this, { field: 'Description', message: `Description is ${(text ?? '').length} characters; at most ${MAX_DESCRIPTION_LENGTH}` }, itemIndex);
		}
		details.description = text;
	}
	return details;
}

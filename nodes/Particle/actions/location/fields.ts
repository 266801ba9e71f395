/** A Tracker's product and device, and the bounding box Particle's location queries take ("Latitude and longitude separated by comma"). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { throwIfInvalid } from '../common';
import { FILTERS_COLLECTION } from '../kit';

export const boundingBoxFilters: INodeProperties = {
	...FILTERS_COLLECTION,
	description: 'Only points inside a rectangle (both corners are needed)',
	options: [
		{
			displayName: 'Bottom Left Corner',
			name: 'rectBl',
			type: 'string',
			default: '',
			placeholder: 'e.g. 30.5,30.0',
			description: 'Latitude and longitude of the south-west corner, separated by a comma',
		},
		{
			displayName: 'Top Right Corner',
			name: 'rectTr',
			type: 'string',
			default: '',
			placeholder: 'e.g. 36.2,35.6',
			description: 'Latitude and longitude of the north-east corner, separated by a comma',
		},
	],
};

function corner(this: IExecuteFunctions, text: unknown, field: string, itemIndex: number): [number, number] | undefined {
	const value = typeof text === 'string' ? text.trim() : text === undefined ? '' : String(text);
	if (value === '') return undefined;
	const parts = value.split(',').map((part) => part.trim());
	const [lat, lon] = parts.map(Number);
	const fits = parts.length === 2 && parts.every((part) => part !== '') && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
	if (!fits) throwIfInvalid(this, { field, message: `${field} must be a latitude (-90 to 90) and a longitude (-180 to 180) separated by a comma, such as 30.5,30.0 (got "${value.slice(0, 40)}")` }, itemIndex);
	return [lat, lon];
}

/** `rect_bl` and `rect_tr`, both or none, bottom left below and left of top right. */
export function boundingBoxQuery(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const bottomLeft = corner.call(this, filters.rectBl, 'Bottom Left Corner', itemIndex);
	const topRight = corner.call(this, filters.rectTr, 'Top Right Corner', itemIndex);
	if (bottomLeft === undefined && topRight === undefined) return {};
	if (bottomLeft === undefined || topRight === undefined) {
		throwIfInvalid(this, { field: 'Filters', message: 'A bounding box needs both corners: Bottom Left Corner and Top Right Corner' }, itemIndex);
	}
	const [[south, west], [north, east]] = [bottomLeft as [number, number], topRight as [number, number]];
	if (south > north || west > east) {
		throwIfInvalid(this, { field: 'Bottom Left Corner', message: 'Bottom Left Corner must be south-west of Top Right Corner' }, itemIndex);
	}
	return { rect_bl: `${south},${west}`, rect_tr: `${north},${east}` };
}

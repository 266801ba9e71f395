import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { productPath, segment } from '../../../shared/paths';
import { deviceField, productField, readDeviceTarget } from '../common';
import { readRange } from '../fleetHealth/timeRange';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { boundingBoxFilters, boundingBoxQuery } from './fields';

export const description = fieldsFor('location', 'getHistory', [
	productField(),
	deviceField({}, { description: 'A Tracker of the product', dependsOn: ['product.value'] }),
	{ displayName: 'Start Date', name: 'startDate', type: 'dateTime', required: true, default: '', description: 'Oldest point to return' },
	{ displayName: 'End Date', name: 'endDate', type: 'dateTime', default: '', description: 'Newest point to return; empty means now' },
	{
		displayName: 'Split Into Points',
		name: 'splitIntoPoints',
		type: 'boolean',
		default: true,
		description: 'Whether to output one item per point (time, latitude, longitude, its properties) instead of Particle’s one item with the list of points',
	},
	boundingBoxFilters,
]);

type Coordinates = [number, number];

function isPair(value: unknown): value is Coordinates {
	return Array.isArray(value) && value.length >= 2 && value.every((part) => typeof part === 'number');
}

/**
 * One item per point. The geometry is GeoJSON, a Point or a LineString, whose coordinates are longitude then
 * latitude (RFC 7946; the reference's examples do not say), matched with `timestamps` and `properties` by position.
 */
function points(location: IDataObject): IDataObject[] {
	const geometry = (location.geometry ?? {}) as IDataObject;
	const raw = geometry.coordinates;
	const pairs: Coordinates[] = isPair(raw) ? [raw] : Array.isArray(raw) ? raw.filter(isPair) : [];
	const times = Array.isArray(location.timestamps) ? (location.timestamps as unknown[]) : [];
	const properties = Array.isArray(location.properties) ? (location.properties as unknown[]) : [];
	return pairs.map(([longitude, latitude], index) => ({
		device_id: location.device_id ?? null,
		device_name: location.device_name ?? null,
		product_id: location.product_id ?? null,
		time: times[index] ?? null,
		latitude,
		longitude,
		...(properties[index] !== undefined ? { properties: properties[index] as IDataObject } : {}),
	}));
}

/** "Query location for one device within a product" with `date_range` (start and end, ISO 8601, comma-separated). */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { start, end } = readRange.call(this, itemIndex, false);
	const box = boundingBoxQuery.call(this, itemIndex);
	const { scope, device } = await readDeviceTarget.call(this, itemIndex, client, true);
	const product = scope.kind === 'product' ? scope.product : '';
	const query = { date_range: `${start},${end}`, ...box };
	const answer = await client.get<IDataObject>(productPath(product, 'locations', segment(device, 'Device')), { query });
	const location = typeof answer.location === 'object' && answer.location !== null ? (answer.location as IDataObject) : answer;
	return (this.getNodeParameter('splitIntoPoints', itemIndex, true) as boolean) ? points(location) : location;
}

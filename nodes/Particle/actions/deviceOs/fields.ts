/** The platform a Device OS list or version is for: Particle's platform IDs by name (nodes/shared/platforms.ts). */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PLATFORM_NAMES } from '../../../shared/platforms';
import { throwIfInvalid } from '../common';

const ALL = 'all';

const platformOptions: INodePropertyOptions[] = [
	{ name: 'All Platforms', value: ALL },
	...Object.entries(PLATFORM_NAMES)
		.map(([id, name]) => ({ name: `${name} (${id})`, value: id }))
		.sort((a, b) => a.name.localeCompare(b.name)),
];

export function platformField(description: string): INodeProperties {
	return { displayName: 'Platform', name: 'platform', type: 'options', default: ALL, description, options: platformOptions };
}

/** `platform_id` for the query, or nothing for all platforms. */
export function platformQuery(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const platform = String(this.getNodeParameter('platform', itemIndex, ALL));
	if (!platformOptions.some((option) => option.value === platform)) {
		throwIfInvalid(this, { field: 'Platform', message: `Platform must be "all" or a platform ID of the list, such as 13 for Boron (got "${platform.slice(0, 20)}")` }, itemIndex);
	}
	return platform === ALL ? {} : { platform_id: Number(platform) };
}

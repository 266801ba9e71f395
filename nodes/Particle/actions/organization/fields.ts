/** The organization field, and the base path of what a product or an organization owns (team, agreements). */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkProductIdOrSlug } from '../../../shared/limits';
import { productPath, segment, v1Path } from '../../../shared/paths';
import { throwIfInvalid } from '../common';

export function organizationField(show: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Organization',
		name: 'organization',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The organization, by ID or slug',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchOrganizations', searchable: true },
			},
			{ displayName: 'By ID or Slug', name: 'id', type: 'string', placeholder: 'e.g. acme-iot' },
		],
		displayOptions: { show },
	};
}

export function readOrganization(this: IExecuteFunctions, itemIndex: number): string {
	const organization = String(this.getNodeParameter('organization', itemIndex, '', { extractValue: true })).trim();
	if (organization === '' || organization.length > 64) {
		throwIfInvalid(this, { field: 'Organization', message: 'Organization must be an organization ID or slug' }, itemIndex);
	}
	return organization;
}

export function readProductValue(this: IExecuteFunctions, itemIndex: number): string {
	const product = String(this.getNodeParameter('product', itemIndex, '', { extractValue: true })).trim();
	throwIfInvalid(this, checkProductIdOrSlug(product), itemIndex);
	return product;
}

/** "Belongs To": a product or an organization (API users), or my account or an organization (service agreements). */
export function ownerField(show: IDisplayOptions['show'], first: 'product' | 'user'): INodeProperties {
	return {
		displayName: 'Belongs To',
		name: 'owner',
		type: 'options',
		default: first,
		options:
			first === 'product'
				? [
						{ name: 'A Product', value: 'product' },
						{ name: 'An Organization', value: 'organization' },
					]
				: [
						{ name: 'An Organization', value: 'organization' },
						{ name: 'My Account (Sandbox)', value: 'user' },
					],
		displayOptions: { show },
	};
}

/** `/v1/products/:p`, `/v1/orgs/:org` or `/v1/user`, with `rest` appended. */
export function ownerPath(this: IExecuteFunctions, itemIndex: number, ...rest: string[]): string {
	const owner = this.getNodeParameter('owner', itemIndex) as 'product' | 'organization' | 'user';
	if (owner === 'product') return productPath(readProductValue.call(this, itemIndex), ...rest);
	if (owner === 'organization') return v1Path('orgs', segment(readOrganization.call(this, itemIndex), 'Organization'), ...rest);
	return v1Path('user', ...rest);
}

/**
 * The organization locator, and the "Belongs To" choice shared by the resources whose things belong to a product, an
 * organization or the account of the token (API users, service agreements), with the base path it leads to.
 */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { checkOrganizationLocator, ORGANIZATION_PATTERN, organizationUrlMode } from '../../../shared/locators';
import { productPath, segment, v1Path } from '../../../shared/paths';
import { productField, readProductScope, throwIfInvalid } from '../common';

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
			organizationUrlMode(),
			{
				displayName: 'By ID or Slug',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. acme-iot',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: ORGANIZATION_PATTERN.source,
							errorMessage: 'Enter an organization ID or slug (letters, digits, dashes)',
						},
					},
				],
			},
		],
		displayOptions: { show },
	};
}

/** n8n checks the locator's regex in the editor only, not values from expressions: checked again here. */
export function readOrganization(this: IExecuteFunctions, itemIndex: number): string {
	const organization = checkOrganizationLocator(this.getNodeParameter('organization', itemIndex, ''));
	throwIfInvalid(this, organization.violation ?? null, itemIndex);
	return organization.value ?? '';
}

/** `/v1/orgs/:org/...` */
export function organizationPath(organization: string, ...rest: string[]): string {
	return v1Path('orgs', segment(organization, 'Organization'), ...rest);
}

export type Owner = 'organization' | 'product' | 'user';

const OWNER_OPTIONS: Record<Owner, INodePropertyOptions> = {
	organization: { name: 'An Organization', value: 'organization', description: 'An organization, by ID or slug' },
	product: { name: 'A Product', value: 'product', description: 'A product, by ID or slug' },
	user: { name: 'My Account (Sandbox)', value: 'user', description: 'The account of the token' },
};

/** "Belongs To" (the first owner is the default) and the locator of each owner that needs one. */
export function ownerFields(show: IDisplayOptions['show'], owners: [Owner, Owner]): INodeProperties[] {
	const [defaultOwner] = owners;
	const fields: INodeProperties[] = [
		{
			displayName: 'Belongs To',
			name: 'owner',
			type: 'options',
			default: defaultOwner,
			options: owners.map((owner) => OWNER_OPTIONS[owner]).sort((a, b) => a.name.localeCompare(b.name)),
			displayOptions: { show },
		},
	];
	if (owners.includes('product')) fields.push(productField({ ...show, owner: ['product'] }));
	if (owners.includes('organization')) fields.push(organizationField({ ...show, owner: ['organization'] }));
	return fields;
}

/** `/v1/products/:p/...`, `/v1/orgs/:org/...` or `/v1/user/...`, after the "Belongs To" choice. */
export function ownerPath(this: IExecuteFunctions, itemIndex: number, ...rest: string[]): string {
	const owner = this.getNodeParameter('owner', itemIndex) as Owner;
	if (owner === 'product') return productPath(readProductScope.call(this, itemIndex).product, ...rest);
	if (owner === 'organization') return organizationPath(readOrganization.call(this, itemIndex), ...rest);
	return v1Path('user', ...rest);
}

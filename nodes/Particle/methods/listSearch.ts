/** Pickers for the resource locators: products, organizations and devices, searchable by name. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkProductLocator, isEmptyLocator } from '../../shared/locators';
import { devicesPath, v1Path } from '../../shared/paths';
import { platformName } from '../../shared/platforms';
import { expectList, expectListIn } from '../../shared/shapes';
import { particleClient } from '../../shared/client';

const DEVICE_PAGE_SIZE = 100;

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => String(text ?? '').toLowerCase().includes(needle));
}

/**
 * A device in the picker. n8n stores the chosen item's `name` in the workflow (the locator's cached name), so the name
 * is the device's name alone; what changes (online or not) and the platform go in the description, which is not stored.
 */
function deviceItem(device: IDataObject): INodeListSearchItems {
	const platform = platformName(device.platform_id);
	const details = [platform, device.online === true ? 'online' : 'offline'].filter((part) => part !== undefined);
	return { name: String(device.name ?? device.id), value: String(device.id), description: details.join(', ') };
}

export async function searchProducts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const response = await particleClient(this).get<unknown>(v1Path('products'));
	const results = expectListIn(this, response, 'products', 'product list')
		.filter((product) => matches(filter, product.name, product.slug, product.id))
		.map((product) => ({ name: `${String(product.name)} (${String(product.id)})`, value: String(product.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

export async function searchOrganizations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const response = await particleClient(this).get<unknown>(v1Path('orgs'));
	const results = expectListIn(this, response, 'organizations', 'organization list')
		.filter((organization) => matches(filter, organization.name, organization.slug, organization.id))
		.map((organization) => ({ name: String(organization.name ?? organization.slug), value: String(organization.slug ?? organization.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

/**
 * Whose devices the device picker lists, from the field that says so in this node: "Devices In" (the action node, the
 * polling trigger), the Event Trigger's "Listen To" (One Product Device), or, in product-only operations (Mark as
 * Development Device, Remove From Product), a Product field and no "Devices In".
 */
function listsProductDevices(context: ILoadOptionsFunctions): boolean {
	const deviceScope = context.getCurrentNodeParameter('deviceScope');
	if (deviceScope !== undefined) return deviceScope === 'product';
	const listenTo = context.getCurrentNodeParameter('scope');
	if (listenTo !== undefined) return listenTo === 'productDevice';
	return context.getCurrentNodeParameters()?.product !== undefined;
}

/**
 * The product the list follows, read as stored so a Console link is understood; undefined while there is none yet
 * (empty, or an expression the editor cannot evaluate). A product that cannot be right is said, not listed as empty.
 */
export function chosenProduct(context: ILoadOptionsFunctions, list = 'device list'): string | undefined {
	const raw = context.getCurrentNodeParameter('product');
	const value: unknown = typeof raw === 'object' && raw !== null && 'value' in raw ? (raw as { value: unknown }).value : raw;
	if (isEmptyLocator(raw) || (typeof value === 'string' && value.trim().startsWith('='))) return undefined;
	const product = checkProductLocator(raw);
	if (product.violation) {
		throw new NodeOperationError(context.getNode(), product.violation.message, { description: `The ${list} follows the Product field.` });
	}
	return product.value;
}

export async function searchDevices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	if (listsProductDevices(this)) {
		const product = chosenProduct(this);
		if (product === undefined) return { results: [] };
		const page = Number(paginationToken ?? 1);
		const response = await particleClient(this).get<{ devices?: unknown; meta?: { total_pages?: number } }>(devicesPath({ kind: 'product', product }), {
			query: { page, perPage: DEVICE_PAGE_SIZE, ...(filter ? { deviceName: filter } : {}) },
		});
		const devices = expectListIn(this, response, 'devices', 'device list');
		const more = page < Number(response.meta?.total_pages ?? page);
		return { results: devices.map(deviceItem), paginationToken: more ? String(page + 1) : undefined };
	}
	const response = await particleClient(this).get<unknown>(devicesPath({ kind: 'sandbox' }));
	return {
		results: expectList(this, response, 'device list')
			.filter((device) => matches(filter, device.name, device.id))
			.map(deviceItem)
			.sort((a, b) => a.name.localeCompare(b.name)),
	};
}

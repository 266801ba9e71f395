/** Pickers for the resource locators: products and devices, searchable by name. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { devicesPath, v1Path } from '../../shared/paths';
import { platformName } from '../../shared/platforms';
import { expectList, expectListIn } from '../../shared/shapes';
import { request } from '../../shared/transport';

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
	const response = await request<unknown>(this, { method: 'GET', path: v1Path('products') });
	const results = expectListIn(this, response, 'products', 'product list')
		.filter((product) => matches(filter, product.name, product.slug, product.id))
		.map((product) => ({ name: `${String(product.name)} (${String(product.id)})`, value: String(product.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

export async function searchOrganizations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const response = await request<unknown>(this, { method: 'GET', path: v1Path('orgs') });
	const results = expectListIn(this, response, 'organizations', 'organization list')
		.filter((organization) => matches(filter, organization.name, organization.slug, organization.id))
		.map((organization) => ({ name: String(organization.name ?? organization.slug), value: String(organization.slug ?? organization.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

export async function searchDevices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const scope = this.getCurrentNodeParameter('deviceScope') as string | undefined;
	// Product-only operations (Mark as Development Device, Remove From Product) have a product but no "Devices In".
	const hasProduct = this.getCurrentNodeParameters()?.product !== undefined;
	if (scope === 'product' || (scope === undefined && hasProduct)) {
		const product = String(this.getCurrentNodeParameter('product', { extractValue: true }) ?? '').trim();
		if (product === '') return { results: [] };
		const page = Number(paginationToken ?? 1);
		const response = await request<{ devices?: unknown; meta?: { total_pages?: number } }>(this, {
			method: 'GET',
			path: devicesPath({ kind: 'product', product }),
			query: { page, perPage: DEVICE_PAGE_SIZE, ...(filter ? { deviceName: filter } : {}) },
		});
		const devices = expectListIn(this, response, 'devices', 'device list');
		const more = page < Number(response.meta?.total_pages ?? page);
		return { results: devices.map(deviceItem), paginationToken: more ? String(page + 1) : undefined };
	}
	const response = await request<unknown>(this, { method: 'GET', path: devicesPath({ kind: 'sandbox' }) });
	return {
		results: expectList(this, response, 'device list')
			.filter((device) => matches(filter, device.name, device.id))
			.map(deviceItem)
			.sort((a, b) => a.name.localeCompare(b.name)),
	};
}

/**
 * Where ledgers live and which instance an operation means. Particle's routes are `/v1/ledgers/...` (the account of
 * the token), `/v1/products/:p/ledgers/...` and `/v1/orgs/:org/ledgers/...`; an instance is addressed by its scope
 * value, which the ledger's scope decides: a device ID (Device), a product ID (Product), or the owner's ID (Owner).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ParticleClient } from '../../../shared/client';
import { checkNotEmpty } from '../../../shared/limits';
import { checkDeviceLocator, checkProductLocator } from '../../../shared/locators';
import { productPath, segment, v1Path } from '../../../shared/paths';
import { deviceField, productField, readProductScope, throwIfInvalid } from '../common';
import { organizationField, organizationPath, readOrganization } from '../organization/fields';

export type LedgerOwner = 'sandbox' | 'product' | 'organization';
export type InstanceScope = 'device' | 'product' | 'owner';

export const ledgerOwnerFields: INodeProperties[] = [
	{
		displayName: 'Ledgers Of',
		name: 'ledgerOwner',
		type: 'options',
		default: 'sandbox',
		description: 'Whose ledgers: the account of the token, a product, or an organization',
		options: [
			{ name: 'A Product', value: 'product', description: 'The ledgers reached through the product’s routes (/v1/products/:product/ledgers)' },
			{ name: 'An Organization', value: 'organization', description: 'The ledgers of an organization' },
			{ name: 'My Account (Sandbox)', value: 'sandbox', description: 'The ledgers of the account of the token' },
		],
	},
	productField({ ledgerOwner: ['product'] }),
	organizationField({ ledgerOwner: ['organization'] }),
];

export const ledgerNameField: INodeProperties = {
	displayName: 'Ledger Name',
	name: 'ledgerName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. device-config',
	description: 'The name of the ledger, as the Console shows it',
};

/** The instance: what the ledger's scope says its instances are keyed by, and that key. */
export const instanceFields: INodeProperties[] = [
	{
		displayName: 'Ledger Scope',
		name: 'instanceScope',
		type: 'options',
		default: 'device',
		description: 'The scope the ledger was created with: it decides what one instance belongs to',
		options: [
			{ name: 'Device', value: 'device', description: 'One instance per device: the device’s ID' },
			{ name: 'Owner', value: 'owner', description: 'One instance for the owner: the account’s or the organization’s ID' },
			{ name: 'Product', value: 'product', description: 'One instance per product: the product’s ID' },
		],
	},
	deviceField(
		{ instanceScope: ['device'] },
		{ byName: false, description: 'The device whose instance this is (its ID is the instance’s scope value)', dependsOn: ['product.value'] },
	),
	{
		...productField({ instanceScope: ['product'], ledgerOwner: ['sandbox', 'organization'] }),
		displayName: 'Instance Product',
		name: 'instanceProduct',
		// Checked when the item runs: a Ledger Scope set by an expression would otherwise make n8n ask for it always.
		required: false,
		description: 'The product whose instance this is (its ID is the instance’s scope value)',
	},
	{
		displayName: 'Owner ID',
		name: 'ownerId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5f1a0c2b3d4e5f6a7b8c9d0e',
		description:
			'The ID of the account or organization the ledger belongs to: the scope value Particle shows in the ledger’s instances (scope.value)',
		displayOptions: { show: { instanceScope: ['owner'] } },
	},
];

/** `/v1/ledgers/...`, `/v1/products/:p/ledgers/...` or `/v1/orgs/:org/ledgers/...`. */
export function ledgersPath(this: IExecuteFunctions, itemIndex: number, ...rest: string[]): string {
	const owner = this.getNodeParameter('ledgerOwner', itemIndex, 'sandbox') as LedgerOwner;
	if (owner === 'product') return productPath(readProductScope.call(this, itemIndex).product, 'ledgers', ...rest);
	if (owner === 'organization') return organizationPath(readOrganization.call(this, itemIndex), 'ledgers', ...rest);
	return v1Path('ledgers', ...rest);
}

/** The ledger's name as one path segment, refused when empty. */
export function readLedgerName(this: IExecuteFunctions, itemIndex: number): string {
	const name = String(this.getNodeParameter('ledgerName', itemIndex, '', { ensureType: 'string' })).trim();
	throwIfInvalid(this, checkNotEmpty(name, 'Ledger Name'), itemIndex);
	return name;
}

const PRODUCT_ID = /^[1-9][0-9]*$/;

/** A product as an instance's scope value: its ID; a slug is looked up once (the reference's examples use IDs). */
async function productId(this: IExecuteFunctions, product: string, client: ParticleClient): Promise<string> {
	if (PRODUCT_ID.test(product)) return product;
	const found = await client.get<{ product?: { id?: unknown } }>(productPath(product));
	return String(found.product?.id ?? product);
}

/** The instance's scope value, from the field its scope shows; checked before anything is sent. */
export async function readScopeValue(this: IExecuteFunctions, itemIndex: number, client: ParticleClient): Promise<string> {
	const scope = this.getNodeParameter('instanceScope', itemIndex, 'device') as InstanceScope;
	if (scope === 'device') {
		const choice = checkDeviceLocator(this.getNodeParameter('device', itemIndex, ''));
		throwIfInvalid(this, choice.violation ?? null, itemIndex);
		return choice.value?.device ?? '';
	}
	if (scope === 'owner') {
		const owner = String(this.getNodeParameter('ownerId', itemIndex, '', { ensureType: 'string' })).trim();
		throwIfInvalid(this, checkNotEmpty(owner, 'Owner ID'), itemIndex);
		return owner;
	}
	// In a product's ledgers the Product field names the instance too.
	const fromOwner = this.getNodeParameter('ledgerOwner', itemIndex, 'sandbox') === 'product';
	const product = fromOwner ? readProductScope.call(this, itemIndex).product : checkedInstanceProduct.call(this, itemIndex);
	return await productId.call(this, product, client);
}

function checkedInstanceProduct(this: IExecuteFunctions, itemIndex: number): string {
	const product = checkProductLocator(this.getNodeParameter('instanceProduct', itemIndex, ''));
	throwIfInvalid(this, product.violation ? { ...product.violation, message: product.violation.message.replace(/^Product/, 'Instance Product') } : null, itemIndex);
	return product.value ?? '';
}

/** `.../ledgers/:name/instances/:scopeValue`, every part one checked segment. */
export async function instancePath(this: IExecuteFunctions, itemIndex: number, client: ParticleClient): Promise<string> {
	// The name and where the ledgers live are checked before a product slug is looked up.
	const instances = ledgersPath.call(this, itemIndex, segment(readLedgerName.call(this, itemIndex), 'Ledger Name'), 'instances');
	return `${instances}/${segment(await readScopeValue.call(this, itemIndex, client), 'Scope value')}`;
}

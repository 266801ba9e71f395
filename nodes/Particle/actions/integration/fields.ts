/** Integrations belong to the sandbox or to a product; one is addressed by the ID Particle gave it. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { deviceScopeField, productField, readDeviceScope, throwIfInvalid } from '../common';
import { integrationPath, integrationsPath } from './shared';

/** Particle's integration IDs are 24 hexadecimal characters; letters, digits, - and _ are accepted, to be safe. */
const INTEGRATION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function integrationOwnerFields(): INodeProperties[] {
	return [{ ...deviceScopeField(), displayName: 'Integrations Of' }, productField({ deviceScope: ['product'] })];
}

export function integrationIdField(): INodeProperties {
	return {
		displayName: 'Integration ID',
		name: 'integrationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 5f3c9a0e1d2b4c6a8e0f1a2b',
		description: 'The ID Particle gave the integration (see Get Many)',
	};
}

/** The product the integrations belong to; undefined for the sandbox. */
export function readOwnerProduct(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const scope = readDeviceScope.call(this, itemIndex);
	return scope.kind === 'product' ? scope.product : undefined;
}

export function readIntegrationsPath(this: IExecuteFunctions, itemIndex: number): string {
	return integrationsPath(readOwnerProduct.call(this, itemIndex));
}

/** The integration's path (and what follows, such as `test`), with its ID checked before anything is sent. */
export function readIntegrationPath(this: IExecuteFunctions, itemIndex: number, ...rest: string[]): { id: string; path: string } {
	const id = String(this.getNodeParameter('integrationId', itemIndex, '', { ensureType: 'string' })).trim();
	if (!INTEGRATION_ID_PATTERN.test(id)) {
		throwIfInvalid(
			this,
			{ field: 'Integration ID', message: `Integration ID must be letters and digits, as Particle shows it (got "${id.slice(0, 40)}")` },
			itemIndex,
		);
	}
	return { id, path: integrationPath(readOwnerProduct.call(this, itemIndex), id, ...rest) };
}

/** API users belong to a product or an organization; they are addressed by their generated username. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkName } from '../../../shared/limits';
import { productField, throwIfInvalid } from '../common';
import { organizationField, ownerField } from '../organization/fields';

/** The scopes Particle documents for API users. */
const SCOPES = [
	'customers:list',
	'customers:remove',
	'customers:update',
	'devices.diagnostics.metadata:get',
	'devices.diagnostics:get',
	'devices.diagnostics:update',
	'devices.function:call',
	'devices.variable:get',
	'devices:get',
	'devices:import',
	'devices:list',
	'devices:ping',
	'devices:release',
	'devices:remove',
	'devices:update',
	'events:get',
	'events:send',
	'products:get',
	'products:list',
	'service_agreements.notifications:list',
	'service_agreements.usage_reports:create',
	'service_agreements.usage_reports:get',
	'service_agreements:list',
	'sims.usage:get',
	'sims:get',
	'sims:list',
	'teams.users:list',
];

export function teamFields(operation: string): INodeProperties[] {
	const show = { resource: ['apiUser'], operation: [operation] };
	return [ownerField(show, 'product'), productField({ ...show, owner: ['product'] }), organizationField({ ...show, owner: ['organization'] })];
}

export function usernameField(operation: string): INodeProperties {
	return {
		displayName: 'Username',
		name: 'username',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. reporting+6fbl2q577b@api.particle.io',
		description: 'The username Particle generated for the API user (see Get Many)',
		displayOptions: { show: { resource: ['apiUser'], operation: [operation] } },
	};
}

export function nameAndScopeFields(operation: string, required: boolean): INodeProperties[] {
	const show = { resource: ['apiUser'], operation: [operation] };
	return [
		{
			displayName: 'Friendly Name',
			name: 'friendlyName',
			type: 'string',
			required,
			default: '',
			placeholder: 'e.g. Nightly vitals export',
			displayOptions: { show },
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'multiOptions',
			required,
			default: [],
			description: 'What the API user may do; nothing else is allowed to it',
			options: SCOPES.map((scope) => ({ name: scope, value: scope })),
			displayOptions: { show },
		},
	];
}

export function readNameAndScopes(this: IExecuteFunctions, itemIndex: number, required: boolean): { friendly_name?: string; scopes?: string[] } {
	const friendlyName = String(this.getNodeParameter('friendlyName', itemIndex, '')).trim();
	const scopes = this.getNodeParameter('scopes', itemIndex, []) as string[];
	if (required || friendlyName !== '') throwIfInvalid(this, checkName(friendlyName, 'Friendly Name'), itemIndex);
	if (required && scopes.length === 0) throwIfInvalid(this, { field: 'Scopes', message: 'Scopes must name at least one scope' }, itemIndex);
	return { ...(friendlyName !== '' ? { friendly_name: friendlyName } : {}), ...(scopes.length > 0 ? { scopes } : {}) };
}

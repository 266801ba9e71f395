/** API users belong to a product or an organization; they are addressed by the username Particle generated. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkName } from '../../../shared/limits';
import { segment } from '../../../shared/paths';
import { throwIfInvalid } from '../common';
import { ownerFields, ownerPath } from '../organization/fields';

/**
 * The API-user scopes of Particle's reference (Cloud API > API users > Available API user scopes, rendered from the
 * endpoints' permissions in `generated/api-service.json` of particle-iot/docs; the commit read is in
 * test/fixtures/particle-reference/api-user-scopes.json, which a test holds this list to). Not
 * `devices.diagnostics.metadata:get`, which only an older reference lists, nor `pricing_terms:get`: the reference
 * writes it `service_agreements.pricing_terms:get`. Scopes this list lacks can be typed in Other Scopes.
 */
export const SCOPES: readonly string[] = [
	'clients:create',
	'clients:list',
	'clients:remove',
	'clients:update',
	'configuration:get',
	'configuration:update',
	'customers:list',
	'customers:remove',
	'customers:update',
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
	'firmware.binary:get',
	'firmware:create',
	'firmware:get',
	'firmware:list',
	'firmware:release',
	'firmware:remove',
	'firmware:update',
	'groups.impact:get',
	'groups:create',
	'groups:get',
	'groups:list',
	'groups:remove',
	'groups:update',
	'integrations:create',
	'integrations:get',
	'integrations:list',
	'integrations:remove',
	'integrations:test',
	'integrations:update',
	'ledger.definitions:archive',
	'ledger.definitions:create',
	'ledger.definitions:get',
	'ledger.definitions:list',
	'ledger.definitions:update',
	'ledger.instances.versions:get',
	'ledger.instances.versions:list',
	'ledger.instances:get',
	'ledger.instances:list',
	'ledger.instances:remove',
	'ledger.instances:set',
	'locations:get',
	'logic.functions:create',
	'logic.functions:execute',
	'logic.functions:get',
	'logic.functions:list',
	'logic.functions:remove',
	'logic.functions:update',
	'logic.logs:list',
	'logic.runs:get',
	'logic.runs:list',
	'logic.stats:list',
	'metrics.events:get',
	'metrics.functions:get',
	'metrics.integrations:get',
	'metrics.online:get',
	'metrics.variables:get',
	'organization:get',
	'products:get',
	'products:list',
	'service_agreements.notifications:list',
	'service_agreements.pricing_terms:get',
	'service_agreements.usage_reports:create',
	'service_agreements.usage_reports:get',
	'service_agreements.usage_summary:get',
	'service_agreements:list',
	'sims.status:get',
	'sims.usage:get',
	'sims:get',
	'sims:import',
	'sims:list',
	'sims:remove',
	'sims:update',
	'teams.users:invite',
	'teams.users:list',
	'teams.users:remove',
	'teams.users:update',
];

/** How Particle writes a scope: dotted resource names, a colon, an action (`devices.function:call`). */
const SCOPE_FORMAT = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*:[a-z][a-z0-9_]*$/;

/** Particle's API-user usernames end so; people have their own email address. */
const API_USER_DOMAIN = '@api.particle.io';

/** "Belongs To" a product or an organization; shown for the operation by `fieldsFor`. */
export function teamFields(): INodeProperties[] {
	return ownerFields({}, ['product', 'organization']);
}

export function usernameField(): INodeProperties {
	return {
		displayName: 'Username',
		name: 'username',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. nightly-export+6fbl2q577b@api.particle.io',
		description: 'The username Particle generated for the API user (see Get Many); it ends with @api.particle.io',
	};
}

/**
 * The username as one path segment. The same team route also removes people: only API-user usernames are accepted,
 * so this resource can never change or delete a person.
 */
export function readUsername(this: IExecuteFunctions, itemIndex: number): string {
	const username = String(this.getNodeParameter('username', itemIndex, '', { ensureType: 'string' })).trim();
	if (!username.toLowerCase().endsWith(API_USER_DOMAIN) || username.length === API_USER_DOMAIN.length) {
		throwIfInvalid(
			this,
			{
				field: 'Username',
				message: `Username must be an API user's username, ending with ${API_USER_DOMAIN} (got "${username.slice(0, 60)}")`,
			},
			itemIndex,
		);
	}
	return username;
}

/** `.../team/:username` of the chosen owner, the username one path segment. */
export function apiUserPath(this: IExecuteFunctions, itemIndex: number, username: string): string {
	return ownerPath.call(this, itemIndex, 'team', segment(username, 'Username'));
}

export function nameAndScopeFields(required: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Friendly Name',
			name: 'friendlyName',
			type: 'string',
			required,
			default: '',
			placeholder: 'e.g. Nightly vitals export',
			description: required
				? 'A name people recognise the API user by, up to 64 characters'
				: 'A new name, up to 64 characters. Empty: keep the name.',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'multiOptions',
			// Not marked required: a scope typed in Other Scopes is enough (checked when the node runs).
			default: [],
			description: required
				? 'What the API user may do, and nothing else. Pick the fewest the workflow needs (at least one here or in Other Scopes).'
				: 'The new, complete list of scopes (it replaces the old one). Empty: keep the scopes.',
			options: SCOPES.map((scope) => ({ name: scope, value: scope })),
		},
		{
			displayName: 'Other Scopes',
			name: 'otherScopes',
			type: 'string',
			default: '',
			placeholder: 'e.g. resource:action, resource.part:action',
			description:
				'Scopes the list above does not have yet, comma-separated, as Particle writes them (resource:action, for example devices.function:call). Added to the picked ones.',
		},
	];
}

/** The typed scopes, checked for Particle's format before anything is sent. */
function readOtherScopes(this: IExecuteFunctions, itemIndex: number): string[] {
	const text = String(this.getNodeParameter('otherScopes', itemIndex, '', { ensureType: 'string' }));
	const typed = text
		.split(',')
		.map((scope) => scope.trim())
		.filter((scope) => scope !== '');
	const malformed = typed.find((scope) => !SCOPE_FORMAT.test(scope));
	if (malformed !== undefined) {
		throwIfInvalid(
			this,
			{
				field: 'Other Scopes',
				message: `Other Scopes: "${malformed.slice(0, 60)}" is not a scope; Particle writes them as resource:action, for example devices.function:call`,
			},
			itemIndex,
		);
	}
	return typed;
}

export function readNameAndScopes(
	this: IExecuteFunctions,
	itemIndex: number,
	required: boolean,
): { friendly_name?: string; scopes?: string[] } {
	const friendlyName = String(this.getNodeParameter('friendlyName', itemIndex, '', { ensureType: 'string' })).trim();
	const picked = this.getNodeParameter('scopes', itemIndex, []) as string[];
	const scopes = [...new Set([...picked, ...readOtherScopes.call(this, itemIndex)])];
	if (required || friendlyName !== '') throwIfInvalid(this, checkName(friendlyName, 'Friendly Name'), itemIndex);
	if (required && scopes.length === 0) {
		throwIfInvalid(this, { field: 'Scopes', message: 'Scopes must name at least one scope (picked or in Other Scopes)' }, itemIndex);
	}
	return { ...(friendlyName !== '' ? { friendly_name: friendlyName } : {}), ...(scopes.length > 0 ? { scopes } : {}) };
}

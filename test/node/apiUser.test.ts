/**
 * API User scopes through n8n's engine against the fake cloud: the full list of Particle's current reference, scopes
 * typed in Other Scopes (checked for Particle's format before sending), and the list the node offers.
 */
import type { INodeProperties } from 'n8n-workflow';

import { Particle } from '../../nodes/Particle/Particle.node';
import reference from '../fixtures/particle-reference/api-user-scopes.json';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 1, productDevices: 2 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const target = () => ({ resource: 'apiUser', owner: 'product', product: rl('id', String(cloud().productClient.productId)) });

function offeredScopes(operation: string): string[] {
	const field = new Particle().description.properties.find(
		(property: INodeProperties) => property.name === 'scopes' && property.displayOptions?.show?.operation?.includes(operation),
	);
	return (field?.options ?? []).map((option) => String((option as { value: unknown }).value));
}

describe('API User scopes', () => {
	it('offers exactly the current reference’s scopes on create and update, without the ones it does not have', () => {
		for (const operation of ['create', 'update']) {
			const scopes = offeredScopes(operation);
			expect(scopes).toEqual(reference.scopes);
			expect(scopes).toEqual(expect.arrayContaining(['logic.functions:list', 'ledger.definitions:get', 'metrics.online:get', 'service_agreements.pricing_terms:get']));
			expect(scopes).not.toContain('devices.diagnostics.metadata:get');
			expect(scopes).not.toContain('pricing_terms:get');
		}
	});

	it('sends the picked scopes and the typed Other Scopes together, once each; the fake (its own list) accepts them', async () => {
		const result = await runNode({
			parameters: {
				...target(),
				operation: 'create',
				friendlyName: 'Release bot',
				scopes: ['firmware:release', 'devices:list'],
				otherScopes: ' service_agreements.pricing_terms:get, devices:list ,service_agreements.usage_summary:get,',
			},
			credentials: userToken(cloud()),
		});

		expect(result.status).toBe('success');
		const [call] = apiCalls(cloud());
		expect(call.body).toEqual({
			friendly_name: 'Release bot',
			scopes: ['firmware:release', 'devices:list', 'service_agreements.pricing_terms:get', 'service_agreements.usage_summary:get'],
		});
		expect(result.items[0].json).toMatchObject({ scopes: ['firmware:release', 'devices:list', 'service_agreements.pricing_terms:get', 'service_agreements.usage_summary:get'] });
	});

	it('scopes the old list lacked (logic, ledger, fleet metrics) are sent as picked and the fake, on its own list, accepts them', async () => {
		const picked = ['logic.functions:list', 'logic.runs:get', 'ledger.definitions:get', 'ledger.instances.versions:list', 'metrics.online:get'];
		const result = await runNode({
			parameters: { ...target(), operation: 'create', friendlyName: 'Logic reader', scopes: picked, otherScopes: '' },
			credentials: userToken(cloud()),
		});

		expect(result.status).toBe('success');
		const [call] = apiCalls(cloud());
		expect(call).toMatchObject({ method: 'POST', path: `/v1/products/${cloud().productClient.productId}/team`, status: 200 });
		expect(call.body).toEqual({ friendly_name: 'Logic reader', scopes: picked });
		expect(result.items[0].json).toMatchObject({ friendly_name: 'Logic reader', scopes: picked });
		expect(cloud().fleet.apiUsers.find((apiUser) => apiUser.friendly_name === 'Logic reader')?.scopes).toEqual(picked);
	});

	it.each([
		['pricing_terms:get', 'the old list’s spelling; the reference writes service_agreements.pricing_terms:get'],
		['devices.diagnostics.metadata:get', 'only an older reference has it'],
	])('a typed Other Scope the reference does not have (%s: %s) is sent, refused by the fake with 400, and the error gives Particle’s words', async (typed) => {
		const result = await runNode({
			parameters: { ...target(), operation: 'create', friendlyName: 'Stale scope', scopes: ['devices:list'], otherScopes: typed },
			credentials: userToken(cloud()),
		});

		expect(result.status).toBe('error');
		const [call] = apiCalls(cloud());
		expect(call).toMatchObject({ method: 'POST', status: 400 });
		expect(call.body).toEqual({ friendly_name: 'Stale scope', scopes: ['devices:list', typed] });
		expect(result.error?.message).toBe(`Particle rejected the request as invalid: Unknown scope: ${typed}`);
		expect(result.error?.httpCode).toBe('400');
		expect(cloud().fleet.apiUsers.some((apiUser) => apiUser.friendly_name === 'Stale scope')).toBe(false);
	});

	it('no scope picked nor typed: a clear error before sending', async () => {
		const result = await runNode({
			parameters: { ...target(), operation: 'create', friendlyName: 'Nothing', scopes: [], otherScopes: ' , ' },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('Scopes must name at least one scope (picked or in Other Scopes)');
		expect(cloud().requests).toHaveLength(0);
	});

	it('Other Scopes alone are enough to create', async () => {
		const created = await runNode({
			parameters: { ...target(), operation: 'create', friendlyName: 'Typed only', scopes: [], otherScopes: 'locations:get' },
			credentials: userToken(cloud()),
		});
		expect(created.status).toBe('success');
		expect(apiCalls(cloud())[0].body).toEqual({ friendly_name: 'Typed only', scopes: ['locations:get'] });
	});

	it.each([['devices list'], ['devices:'], ['Devices:list'], [':list'], ['devices:list:now'], ['devices..x:get']])(
		'refuses "%s" in Other Scopes before sending',
		async (typed) => {
			const result = await runNode({
				parameters: { ...target(), operation: 'create', friendlyName: 'Bad', scopes: ['devices:list'], otherScopes: `events:get, ${typed}` },
				credentials: userToken(cloud()),
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(
				`Other Scopes: "${typed}" is not a scope; Particle writes them as resource:action, for example devices.function:call`,
			);
			expect(result.error?.description).toBe('Nothing was sent to Particle.');
			expect(cloud().requests).toHaveLength(0);
		},
	);
});

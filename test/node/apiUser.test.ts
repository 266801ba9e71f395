/**
 * API User scopes through n8n's engine against the fake cloud: the full list of Particle's current reference, scopes
 * typed in Other Scopes (checked for Particle's format before sending), and the list the node offers.
 */
import type { INodeProperties } from 'n8n-workflow';

import { Particle } from '../../nodes/Particle/Particle.node';
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
	it('offers the current reference’s scopes, without the one only an older reference has', () => {
		for (const operation of ['create', 'update']) {
			const scopes = offeredScopes(operation);
			expect(scopes).toEqual(
				expect.arrayContaining([
					'clients:update',
					'configuration:get',
					'configuration:update',
					'firmware:create',
					'firmware:list',
					'firmware.binary:get',
					'groups:list',
					'groups.impact:get',
					'integrations:update',
					'ledger.instances:get',
					'locations:get',
					'metrics.integrations:get',
					'organization:get',
					'pricing_terms:get',
					'service_agreements.usage_summary:get',
				]),
			);
			expect(scopes).not.toContain('devices.diagnostics.metadata:get');
			expect(new Set(scopes).size).toBe(scopes.length);
		}
	});

	it('sends the picked scopes and the typed Other Scopes together, once each; the fake (its own list) accepts them', async () => {
		const result = await runNode({
			parameters: {
				...target(),
				operation: 'create',
				friendlyName: 'Release bot',
				scopes: ['firmware:release', 'devices:list'],
				otherScopes: ' pricing_terms:get, devices:list ,service_agreements.usage_summary:get,',
			},
			credentials: userToken(cloud()),
		});

		expect(result.status).toBe('success');
		const [call] = apiCalls(cloud());
		expect(call.body).toEqual({
			friendly_name: 'Release bot',
			scopes: ['firmware:release', 'devices:list', 'pricing_terms:get', 'service_agreements.usage_summary:get'],
		});
		expect(result.items[0].json).toMatchObject({ scopes: ['firmware:release', 'devices:list', 'pricing_terms:get', 'service_agreements.usage_summary:get'] });
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

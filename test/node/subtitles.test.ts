/**
 * The canvas subtitles, evaluated by n8n's own expression engine as the editor does: display names ("Get Many:
 * Device", "Device Went Offline"), never the stored values ("getAll: device", "deviceWentOffline").
 */
import { Workflow, type INode, type INodeParameters, type INodeProperties, type INodePropertyOptions, type INodeType } from 'n8n-workflow';

import { Particle } from '../../nodes/Particle/Particle.node';
import { ParticleEventTrigger } from '../../nodes/ParticleEventTrigger/ParticleEventTrigger.node';
import { ParticleTrigger } from '../../nodes/ParticleTrigger/ParticleTrigger.node';
import { ParticleWebhookTrigger } from '../../nodes/ParticleWebhookTrigger/ParticleWebhookTrigger.node';
import { nodeTypes, PACKAGE_PREFIX, registerNodeType } from '../harness/nodeTypes';

function subtitleOf(nodeType: INodeType, parameters: INodeParameters): unknown {
	const type = `${PACKAGE_PREFIX}subtitleOf${nodeType.description.name}`;
	registerNodeType(type, nodeType);
	const node: INode = { id: 'n', name: 'n', type, typeVersion: 1, position: [0, 0], parameters };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, String(nodeType.description.subtitle), 'internal', {});
}

const optionsOf = (property: INodeProperties | undefined) => (property?.options ?? []) as INodePropertyOptions[];

describe('canvas subtitles', () => {
	const particle = new Particle();
	const { properties } = particle.description;
	const resources = optionsOf(properties.find((property) => property.name === 'resource'));

	it('names every operation of every resource of the Particle node by its display names', () => {
		let checked = 0;
		for (const resource of resources.filter((option) => option.value !== '__CUSTOM_API_CALL__')) {
			const list = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource.value));
			for (const operation of optionsOf(list)) {
				const expected = `${operation.name}: ${resource.name.replace(/ \(Old\)$/, '')}`;
				expect(subtitleOf(particle, { resource: resource.value, operation: operation.value })).toBe(expected);
				checked++;
			}
		}
		expect(checked).toBeGreaterThan(50);
		expect(subtitleOf(particle, { resource: 'device', operation: 'getAll' })).toBe('Get Many: Device');
		expect(subtitleOf(particle, { resource: 'apiUser', operation: 'create' })).toBe('Create: API User');
		expect(subtitleOf(particle, { resource: 'customApiCall', operation: 'send' })).toBe('Send: Custom API Call');
	});

	it('shows the stored values of a pair it does not know', () => {
		expect(subtitleOf(particle, { resource: 'device', operation: 'teleport' })).toBe('teleport: device');
	});

	it('names the polling trigger\'s events as its list does', () => {
		const trigger = new ParticleTrigger();
		expect(subtitleOf(trigger, { events: ['deviceWentOffline'] })).toBe('Device Went Offline');
		expect(subtitleOf(trigger, { events: ['deviceWentOffline', 'vitalsThreshold', 'somethingNew'] })).toBe('Device Went Offline, Vitals Crossed a Threshold, somethingNew');
		expect(subtitleOf(trigger, { events: 'vitalsUpdated' })).toBe('Vitals Updated');
	});

	it('names the Event Trigger\'s status events and says which events it streams', () => {
		const trigger = new ParticleEventTrigger();
		expect(subtitleOf(trigger, { triggerOn: 'deviceStatus', events: ['deviceCameOnline', 'vitalsUpdated'] })).toBe('Device Came Online, Vitals Updated');
		expect(subtitleOf(trigger, { triggerOn: 'publishedEvents', eventName: 'temperature' })).toBe('Events: temperature');
		expect(subtitleOf(trigger, { triggerOn: 'publishedEvents', eventName: '' })).toBe('Events: all');
	});

	it('says which events the Webhook Trigger receives', () => {
		expect(subtitleOf(new ParticleWebhookTrigger(), { eventName: 'temp' })).toBe('Events: temp');
	});
});

import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { deviceField, deviceScopeField, productField } from '../Particle/actions/common';
import { searchDevices, searchProducts } from '../Particle/methods/listSearch';
import { EXACT_NAME_OPTION, PARSE_JSON_OPTION } from '../ParticleEventTrigger/eventOptions';
import { createOwnIntegration, deleteOwnIntegration, ownIntegrationExists } from './lifecycle';
import { receiveEvent } from './receive';

export class ParticleWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Particle Webhook Trigger',
		name: 'particleWebhookTrigger',
		icon: { light: 'file:../../icons/particle.svg', dark: 'file:../../icons/particle.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Events: " + $parameter["eventName"] }}',
		description: 'Starts the workflow for every event Particle sends to n8n through a webhook integration that this node creates and deletes',
		eventTriggerDescription: 'Waiting for Particle to send an event to the test URL',
		activationMessage: 'Particle now sends the matching events to this workflow through the webhook integration this node created.',
		defaults: { name: 'Particle Webhook Trigger' },
		// The node panel's docs link: n8n uses this as it is (a codex link gets a query appended after the anchor).
		documentationUrl: 'https://github.com/n8n-nodes-particle/n8n-nodes-particle/blob/main/README.md#particle-webhook-trigger',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'particleApi', required: true }],
		// Particle waits 20 s for an answer: n8n answers at once, then runs the workflow. The answer is empty: Particle
		// publishes a non-empty one back as hook-response events, which cost Data Operations for subscribed devices.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Particle calls this workflow\'s production webhook URL, so this n8n must be reachable from the internet (n8n\'s WEBHOOK_URL). Activating the workflow creates a webhook integration in Particle; deactivating it deletes it.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			deviceScopeField(),
			productField({ deviceScope: ['product'] }),
			{
				displayName: 'Event Name',
				name: 'eventName',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. temperature',
				description: 'Particle sends every event whose name starts with this text (temp matches temperature too); it needs at least one character',
			},
			// Named deviceId as when it was a text field: a saved ID reads the same.
			deviceField(undefined, { name: 'deviceId', byName: false, required: false, description: 'Only events of this device; empty for every device' }),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [EXACT_NAME_OPTION, PARSE_JSON_OPTION],
			},
		],
	};

	methods = { listSearch: { searchDevices, searchProducts } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await ownIntegrationExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createOwnIntegration.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteOwnIntegration.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveEvent.call(this);
	}
}

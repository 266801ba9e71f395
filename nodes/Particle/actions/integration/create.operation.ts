/**
 * Create a Webhook (Particle's reference: `POST /v1/integrations` or `/v1/products/:p/integrations` with
 * `integration_type: Webhook`, `event`, `url`, `requestType` and the optional template fields).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkDeviceId, checkName, checkOneOf } from '../../../shared/limits';
import { throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { integrationOwnerFields, readIntegrationsPath, readOwnerProduct } from './fields';
import { hideVerificationHeader } from './shared';

const REQUEST_TYPES = ['DELETE', 'GET', 'POST', 'PUT'];

function pairsField(displayName: string, name: string, entry: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		description,
		options: [
			{
				displayName: entry,
				name: 'pair',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	};
}

export const description = fieldsFor('integration', 'create', [
	...integrationOwnerFields(),
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. temperature',
		description: 'Particle calls the webhook for every event whose name starts with this text (temp matches temperature too)',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/particle',
		description: 'Where Particle sends the request (http or https)',
	},
	{
		displayName: 'Request Type',
		name: 'requestType',
		type: 'options',
		default: 'POST',
		options: REQUEST_TYPES.map((method) => ({ name: method, value: method })),
	},
	{
		displayName: 'Device ID',
		name: 'deviceId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 0123456789abcdef01234567',
		description: 'Only events of this device trigger the webhook; empty for all (Particle offers this for sandbox webhooks only)',
		displayOptions: { show: { deviceScope: ['sandbox'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Custom Body',
				name: 'body',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'The request body as a mustache template, e.g. {{{PARTICLE_EVENT_VALUE}}}; set a Content-Type header yourself. Only one of Custom Body, Form Fields and JSON Template.',
			},
			{
				displayName: 'Disabled',
				name: 'disabled',
				type: 'boolean',
				default: false,
				description: 'Whether to create the webhook switched off',
			},
			{
				displayName: 'Error Response Topic',
				name: 'errorResponseTopic',
				type: 'string',
				default: '',
				description: 'Event name for error answers (Particle\'s default: hook-error/ and the event name)',
			},
			pairsField('Form Fields', 'form', 'Field', 'Fields sent form-encoded; values may be mustache templates'),
			pairsField('Headers', 'headers', 'Header', 'Headers Particle adds to the request; values may be mustache templates'),
			{
				displayName: 'JSON Template',
				name: 'json',
				type: 'json',
				default: '{}',
				description: 'A JSON body whose values may be mustache templates, e.g. {"value": "{{{PARTICLE_EVENT_VALUE}}}"}',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'How the webhook is shown in the Particle console',
			},
			{
				displayName: 'No Default Data',
				name: 'noDefaults',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out Particle\'s default fields (event, data, published_at, coreid)',
			},
			pairsField('Query Parameters', 'query', 'Parameter', 'Query parameters added to the URL; values may be mustache templates'),
			{
				displayName: 'Reject Unauthorized',
				name: 'rejectUnauthorized',
				type: 'boolean',
				default: true,
				description: 'Whether Particle checks the TLS certificate of an https URL',
			},
			{
				displayName: 'Response Template',
				name: 'responseTemplate',
				type: 'string',
				default: '',
				description: 'A mustache template that shapes the answer published back to the devices',
			},
			{
				displayName: 'Response Topic',
				name: 'responseTopic',
				type: 'string',
				default: '',
				description: 'Event name for the answer published back to the devices',
			},
		],
	},
]);

interface Pairs {
	pair?: Array<{ name?: string; value?: string }>;
}

interface AdditionalFields {
	body?: string;
	disabled?: boolean;
	errorResponseTopic?: string;
	form?: Pairs;
	headers?: Pairs;
	json?: unknown;
	name?: string;
	noDefaults?: boolean;
	query?: Pairs;
	rejectUnauthorized?: boolean;
	responseTemplate?: string;
	responseTopic?: string;
}

function pairsOf(pairs: Pairs | undefined): Record<string, string> | undefined {
	const entries = (pairs?.pair ?? []).filter((pair) => (pair.name ?? '').trim() !== '');
	return entries.length === 0 ? undefined : Object.fromEntries(entries.map((pair) => [String(pair.name).trim(), String(pair.value ?? '')]));
}

function readUrl(this: IExecuteFunctions, itemIndex: number): string {
	const url = String(this.getNodeParameter('url', itemIndex, '', { ensureType: 'string' })).trim();
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
		throwIfInvalid(this, { field: 'URL', message: `URL must be an http or https address (got "${url.slice(0, 60)}")` }, itemIndex);
	}
	return url;
}

/**
 * The JSON Template as Particle takes it: an object, or text that becomes JSON only once its templates are filled in
 * (`{{{v}}}` in place of a number). Text that is neither is refused, rather than failing at every event.
 */
function readJsonTemplate(this: IExecuteFunctions, value: unknown, itemIndex: number): IDataObject | string | undefined {
	if (value === undefined || value === '' || value === '{}') return undefined;
	if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as IDataObject;
	const text = typeof value === 'string' ? value : '';
	try {
		const parsed: unknown = JSON.parse(text);
		if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as IDataObject;
	} catch {
		if (text.includes('{{')) return text;
	}
	throwIfInvalid(this, { field: 'JSON Template', message: 'JSON Template must be a JSON object (its values may be mustache templates)' }, itemIndex);
	return undefined;
}

function readTemplateFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
	const json = readJsonTemplate.call(this, fields.json, itemIndex);
	const form = pairsOf(fields.form);
	const body = fields.body?.trim() ? fields.body : undefined;
	const bodies = [json && 'JSON Template', form && 'Form Fields', body && 'Custom Body'].filter(Boolean);
	// "The properties form, json, and body are mutually exclusive" (webhook reference).
	if (bodies.length > 1) throwIfInvalid(this, { field: 'Additional Fields', message: `Use only one of ${bodies.join(', ')}` }, itemIndex);
	const texts = { name: fields.name, responseTopic: fields.responseTopic, errorResponseTopic: fields.errorResponseTopic, responseTemplate: fields.responseTemplate };
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(texts)) if (value?.trim()) result[key] = value.trim();
	for (const [key, value] of Object.entries({ json, form, body, headers: pairsOf(fields.headers), query: pairsOf(fields.query) })) {
		if (value !== undefined) result[key] = value;
	}
	if (fields.noDefaults === true) result.noDefaults = true;
	if (fields.disabled === true) result.disabled = true;
	if (fields.rejectUnauthorized === false) result.rejectUnauthorized = false;
	return result;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const path = readIntegrationsPath.call(this, itemIndex);
	const event = String(this.getNodeParameter('eventName', itemIndex, '', { ensureType: 'string' })).trim();
	throwIfInvalid(this, checkName(event, 'Event Name'), itemIndex);
	const url = readUrl.call(this, itemIndex);
	const requestType: unknown = this.getNodeParameter('requestType', itemIndex, 'POST');
	throwIfInvalid(this, checkOneOf(requestType, 'Request Type', REQUEST_TYPES), itemIndex);
	const body: IDataObject = { integration_type: 'Webhook', event, url, requestType: requestType as string };
	if (readOwnerProduct.call(this, itemIndex) === undefined) {
		const deviceId = String(this.getNodeParameter('deviceId', itemIndex, '', { ensureType: 'string' })).trim().toLowerCase();
		if (deviceId !== '') {
			throwIfInvalid(this, checkDeviceId(deviceId), itemIndex);
			body.deviceID = deviceId;
		}
	}
	Object.assign(body, readTemplateFields.call(this, itemIndex));
	return hideVerificationHeader(await client.send<IDataObject>('POST', path, { body }));
}

/**
 * One request from Particle: refused with 401 unless it carries the integration's secret, then turned into one item
 * shaped like the Particle Event Trigger's (the same builder, toParticleEvent).
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { VERIFICATION_HEADER } from '../Particle/actions/integration/shared';
import { toParticleEvent, type ParticleEvent } from '../shared/sseParser';
import { readDeviceFilter, triggerState } from './lifecycle';

/**
 * Whether `received` equals `expected`, in a time that depends on the length of `expected` only, so the answer
 * time says nothing about how much of a guess was right.
 */
export function sameSecret(received: string, expected: string): boolean {
	let difference = received.length ^ expected.length;
	for (let index = 0; index < expected.length; index++) {
		difference |= expected.charCodeAt(index) ^ (index < received.length ? received.charCodeAt(index) : 0);
	}
	return difference === 0 && expected.length > 0;
}

/** A form field as n8n parses it: text, or a list when the field came twice (the first one counts). */
function textOf(value: unknown): string | undefined {
	const first: unknown = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : undefined;
}

function numberOf(value: unknown): number | undefined {
	const textValue = textOf(value)?.trim();
	return textValue && /^\d+$/.test(textValue) ? Number(textValue) : undefined;
}

/**
 * The event in Particle's default webhook data (`event`, `data`, `published_at`, `coreid`, form-encoded) and the
 * product fields the trigger asks for, as the Event Trigger's item; undefined without an event name.
 */
export function eventFromWebhookBody(body: unknown, parseDataAsJson: boolean): ParticleEvent | undefined {
	const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as IDataObject) : {};
	const data: unknown = Array.isArray(fields.data) ? textOf(fields.data) : fields.data;
	const envelope = {
		data: data ?? null,
		published_at: textOf(fields.published_at),
		coreid: textOf(fields.coreid),
		productID: numberOf(fields.productID),
		version: numberOf(fields.version),
		userid: textOf(fields.userid) || undefined,
	};
	return toParticleEvent({ event: textOf(fields.event), data: JSON.stringify(envelope) }, parseDataAsJson);
}

/** Answers the request itself (n8n sends nothing more), running nothing. */
function refuse(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	const response = context.getResponseObject();
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify({ message }));
	return { noWebhookResponse: true };
}

export async function receiveEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const { secret } = triggerState(this);
	const sent: unknown = this.getHeaderData()[VERIFICATION_HEADER.toLowerCase()];
	if (typeof secret !== 'string' || typeof sent !== 'string' || !sameSecret(sent, secret)) return refuse(this, 401, 'Unauthorized');

	const options = this.getNodeParameter('options', {}) as { exactName?: boolean; parseJson?: boolean };
	const event = eventFromWebhookBody(this.getBodyData(), options.parseJson !== false);
	if (!event) return refuse(this, 400, 'The request holds no Particle event (no event name)');
	const eventName = String(this.getNodeParameter('eventName', '')).trim();
	// Checked at activation; a value that no longer reads as a device lets no event through rather than every one.
	const filter = readDeviceFilter(this);
	const deviceId = filter.violation ? null : (filter.value?.device ?? '');
	// Particle matches names by prefix and limits only sandbox webhooks to a device: the rest is filtered here.
	const wanted = (!options.exactName || event.name === eventName) && (deviceId === '' || event.coreid === deviceId);
	// An unwanted event is answered 200 with nothing, so Particle counts no error and publishes no hook-response.
	if (!wanted) return { webhookResponse: '' };
	return { workflowData: [this.helpers.returnJsonArray([event as IDataObject])] };
}

import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';

export const description = fieldsFor('customApiCall', 'send', [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		default: 'GET',
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'GET', value: 'GET' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		required: true,
		default: '/v1/',
		placeholder: 'e.g. /v1/products/12345/sims',
		description:
			'A Particle API path starting with /v1/, sent with this credential. Percent-encode names that contain special characters.',
	},
	{
		displayName: 'Query Parameters (JSON)',
		name: 'query',
		type: 'json',
		default: '{}',
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		default: '{}',
		displayOptions: { show: { method: ['POST', 'PUT', 'DELETE'] } },
	},
]);

/** Printable path characters; `?` and `#` are refused so the query stays in its own field. */
const PATH_PATTERN = /^\/v1(\/[A-Za-z0-9._~:@!$&'()*+,;=%-]+)+\/?$/;

/**
 * Whether each segment, decoded as the URL parser and the cloud will read it, is a plain name: not `.` or `..`
 * (`%2e` included) and without an encoded slash or backslash that could become a separator.
 */
function segmentsArePlain(path: string): boolean {
	return path
		.split('/')
		.slice(1)
		.every((part) => {
			let decoded: string;
			try {
				decoded = decodeURIComponent(part);
			} catch {
				return false;
			}
			return decoded !== '.' && decoded !== '..' && !/[/\\]/.test(decoded);
		});
}

function readJsonObject(context: IExecuteFunctions, name: string, itemIndex: number): IDataObject {
	const raw = context.getNodeParameter(name, itemIndex, '{}') as string | IDataObject;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = raw.trim() === '' ? {} : JSON.parse(raw);
		} catch {
			throw new NodeOperationError(context.getNode(), `${name === 'query' ? 'Query Parameters' : 'Body'} is not valid JSON`, { itemIndex });
		}
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(context.getNode(), `${name === 'query' ? 'Query Parameters' : 'Body'} must be a JSON object`, { itemIndex });
	}
	return value as IDataObject;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const method = this.getNodeParameter('method', itemIndex) as IHttpRequestMethods;
	const path = String(this.getNodeParameter('path', itemIndex, '', { ensureType: 'string' })).trim();
	if (!PATH_PATTERN.test(path) || !segmentsArePlain(path)) {
		throw new NodeOperationError(this.getNode(), `Path "${path.slice(0, 100)}" is not a Particle API path`, {
			itemIndex,
			description: 'Use a path such as /v1/devices/0123456789abcdef01234567, without "..", a query string or a fragment.',
		});
	}
	const query = readJsonObject(this, 'query', itemIndex);
	const body = method === 'GET' ? undefined : readJsonObject(this, 'body', itemIndex);
	if ('access_token' in query || (body && 'access_token' in body)) {
		throw new NodeOperationError(this.getNode(), 'Do not put access_token in the query or body', {
			itemIndex,
			description: 'The credential sends the token in the Authorization header, where it does not end up in logs.',
		});
	}
	return await client.send<IDataObject | IDataObject[]>(method, path, { query, ...(body && Object.keys(body).length > 0 ? { body } : {}) });
}

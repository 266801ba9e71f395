/**
 * A test-only node that sends one request per item through the package's transport door, so tests can drive the
 * door with any method (a POST that must not be retried, a GET that may be) through n8n's real engine.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { request, RateLimitGate } from '../../nodes/shared/transport';

export class ParticleProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Particle Probe',
		name: 'particleProbe',
		group: ['transform'],
		version: 1,
		description: 'Sends one request per item through the transport door',
		defaults: { name: 'Particle' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'particleApi', required: true }],
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/v1/devices' },
			{ displayName: 'Body', name: 'body', type: 'json', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const gate = new RateLimitGate();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const body = this.getNodeParameter('body', itemIndex) as string | IDataObject;
			try {
				const response = await request<IDataObject | IDataObject[]>(this, {
					method: this.getNodeParameter('method', itemIndex) as IHttpRequestMethods,
					path: this.getNodeParameter('path', itemIndex) as string,
					body: body === '' ? undefined : typeof body === 'string' ? (JSON.parse(body) as IDataObject) : body,
					itemIndex,
					gate,
				});
				output.push({ json: Array.isArray(response) ? { list: response } : response, pairedItem: { item: itemIndex } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}

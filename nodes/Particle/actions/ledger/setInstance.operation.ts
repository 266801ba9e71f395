import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { describeValue } from '../../../shared/limits';
import { throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { instanceFields, instancePath, ledgerNameField, ledgerOwnerFields } from './fields';

export const description = fieldsFor('ledger', 'setInstance', [
	...ledgerOwnerFields,
	ledgerNameField,
	...instanceFields,
	{
		displayName: 'Data (JSON)',
		name: 'data',
		type: 'json',
		required: true,
		default: '{}',
		description:
			'The whole data of the instance, a JSON object: it replaces what the instance held. Cloud-to-device ledgers reach the device when it is next connected.',
	},
]);

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Data field as an object: JSON text or an object from an expression; anything else is refused before sending. */
function readData(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw: unknown = this.getNodeParameter('data', itemIndex, '{}');
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throwIfInvalid(this, { field: 'Data', message: `Data is not valid JSON: ${(error as Error).message}` }, itemIndex);
		}
	}
	if (!isObject(value)) throwIfInvalid(this, { field: 'Data', message: `Data must be a JSON object such as {"led": "on"} (got ${describeValue(value)})` }, itemIndex);
	return value as IDataObject;
}

/**
 * "Set the ledger instance data": PUT. The reference names the body field `data`; particle-api-js, Particle's own
 * client, sends `{ instance: { data } }`, the shape of the answer, which is what is sent here (unconfirmed which one
 * the reference means). Never sent twice: a write is not retried after a 5xx, a 408 or a reset.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const data = readData.call(this, itemIndex);
	const path = await instancePath.call(this, itemIndex, client);
	const answer = await client.send<IDataObject>('PUT', path, { body: { instance: { data } } });
	return isObject(answer.instance) ? answer.instance : answer;
}

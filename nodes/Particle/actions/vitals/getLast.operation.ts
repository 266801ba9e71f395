import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { flattenObject } from '../../../shared/csv';
import { deviceTargetFields } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { flattenField, readDeviceVitals, recordItem, type DiagnosticsRecord, type NotFoundText } from './shared';

export const description = fieldsFor('vitals', 'getLast', [...deviceTargetFields(), flattenField()]);

/** Particle keeps the last vitals a device sent; a device that never sent any has none. */
const NO_VITALS: NotFoundText = {
	message: 'Particle has no vitals for this device',
	description:
		'The device may never have sent vitals (it sends them when it connects), or the device ID, name or product is wrong. Once it is online, Vitals > Refresh asks it to send them.',
};

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { device, response } = await readDeviceVitals<{ diagnostics?: DiagnosticsRecord }>(this, itemIndex, client, 'last', NO_VITALS);
	const flatten = this.getNodeParameter('flatten', itemIndex, false) as boolean;
	return recordItem(response.diagnostics ?? {}, device, (payload) => (flatten ? (flattenObject(payload) as IDataObject) : undefined));
}

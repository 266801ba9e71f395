import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flattenObject } from '../../../shared/csv';
import { vitalsPath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceTargetFields } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { explainNotFound, flattenField, readVitalsTarget, recordItem, type DiagnosticsRecord, type NotFoundText } from './shared';

const show = { resource: ['vitals'], operation: ['getLast'] };

export const description: INodeProperties[] = [...deviceTargetFields(show), flattenField(['getLast'])];

/** Particle keeps the last vitals a device sent; a device that never sent any has none. */
const NO_VITALS: NotFoundText = {
	message: 'Particle has no vitals for this device',
	description:
		'The device may never have sent vitals (it sends them when it connects), or the device ID, name or product is wrong. Once it is online, Vitals > Refresh asks it to send them.',
};

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const { scope, device } = await readVitalsTarget.call(this, itemIndex, gate);
	const flatten = this.getNodeParameter('flatten', itemIndex, false) as boolean;
	const response = await explainNotFound(this, itemIndex, NO_VITALS, async () =>
		request<{ diagnostics?: DiagnosticsRecord }>(this, { method: 'GET', path: vitalsPath(scope, device, 'last'), itemIndex, gate }),
	);
	return recordItem(response.diagnostics ?? {}, device, (payload) =>
		flatten ? (flattenObject(payload) as IDataObject) : undefined,
	);
}

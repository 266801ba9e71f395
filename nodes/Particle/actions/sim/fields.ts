/** SIMs live in the sandbox or a product; a SIM is addressed by its ICCID. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath, segment, v1Path } from '../../../shared/paths';
import { deviceScopeField, productField, readDeviceScope, throwIfInvalid } from '../common';

const ICCID_PATTERN = /^\d{19,22}$/;

export function simTargetFields(withIccid = true): INodeProperties[] {
	const fields = [deviceScopeField(), productField({ deviceScope: ['product'] })];
	if (withIccid) {
		fields.push({
			displayName: 'ICCID',
			name: 'iccid',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 89340765001234567890',
			description: 'The number printed on the SIM card, 19 to 22 digits (spaces are ignored)',
		});
	}
	return fields;
}

function readIccid(this: IExecuteFunctions, itemIndex: number): string {
	const iccid = String(this.getNodeParameter('iccid', itemIndex, '', { ensureType: 'string' })).replace(/\s+/g, '');
	if (!ICCID_PATTERN.test(iccid)) {
		throwIfInvalid(
			this,
			{ field: 'ICCID', message: `ICCID must be 19 to 22 digits (got "${iccid.slice(0, 30)}", ${iccid.length} characters)` },
			itemIndex,
		);
	}
	return iccid;
}

/** `/v1/sims[/:iccid]/...` or `/v1/products/:p/sims[/:iccid]/...`, with the ICCID checked when one is used. */
export function simPath(this: IExecuteFunctions, itemIndex: number, withIccid: boolean, ...rest: string[]): string {
	const scope = readDeviceScope.call(this, itemIndex);
	const parts = withIccid ? [segment(readIccid.call(this, itemIndex), 'ICCID'), ...rest] : rest;
	return scope.kind === 'product' ? productPath(scope.product, 'sims', ...parts) : v1Path('sims', ...parts);
}

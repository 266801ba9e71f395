/** SIMs live in the sandbox or a product; a SIM is addressed by its ICCID. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath, segment, v1Path } from '../../../shared/paths';
import { deviceScopeField, productField, readDeviceScope, throwIfInvalid } from '../common';

const ICCID = /^\d{19,22}$/;

export function simTargetFields(operation: string, withIccid = true): INodeProperties[] {
	const show = { resource: ['sim'], operation: [operation] };
	return [
		deviceScopeField(show),
		productField({ ...show, deviceScope: ['product'] }),
		...(withIccid
			? [
					{
						displayName: 'ICCID',
						name: 'iccid',
						type: 'string' as const,
						required: true,
						default: '',
						placeholder: 'e.g. 89314404000012345678',
						description: 'The number printed on the SIM card, 19 to 22 digits',
						displayOptions: { show },
					},
				]
			: []),
	];
}

/** `/v1/sims/...` or `/v1/products/:p/sims/...`, with the ICCID checked when one is given. */
export function simPath(this: IExecuteFunctions, itemIndex: number, withIccid: boolean, ...rest: string[]): string {
	const scope = readDeviceScope.call(this, itemIndex);
	const parts: string[] = [];
	if (withIccid) {
		const iccid = String(this.getNodeParameter('iccid', itemIndex)).replace(/\s+/g, '');
		if (!ICCID.test(iccid)) {
			throwIfInvalid(this, { field: 'ICCID', message: `ICCID must be 19 to 22 digits (got ${iccid.length} characters)` }, itemIndex);
		}
		parts.push(segment(iccid, 'ICCID'));
	}
	return scope.kind === 'product' ? productPath(scope.product, 'sims', ...parts, ...rest) : v1Path('sims', ...parts, ...rest);
}

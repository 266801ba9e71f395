/** What Deactivate, Reactivate and Release share: the warning they show, the ICCID as sent, the path. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** A notice above the fields: these operations change whether the device has cellular service. */
export function serviceNotice(text: string): INodeProperties {
	return { displayName: text, name: 'serviceNotice', type: 'notice', default: '' };
}

/** The ICCID as the path carries it (simPath has checked it): spaces dropped. */
export function sentIccid(this: IExecuteFunctions, itemIndex: number): string {
	return String(this.getNodeParameter('iccid', itemIndex, '', { ensureType: 'string' })).replace(/\s+/g, '');
}

/** Date-and-time fields as Particle takes them (ISO 8601, UTC), checked before sending: Fleet Health and Location. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { describeValue } from '../../../shared/limits';
import { throwIfInvalid } from '../common';

function dateText(value: unknown): string | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	if (typeof value === 'string') return value.trim();
	// A Luxon DateTime ($now and friends in an expression) prints as ISO 8601.
	if (typeof value === 'object' && value !== null && 'toISO' in value) return String(value);
	return undefined;
}

/** The field's date as ISO 8601, or undefined when it is empty; what is not a date is refused. */
export function readDate(this: IExecuteFunctions, name: string, field: string, itemIndex: number): string | undefined {
	const value: unknown = this.getNodeParameter(name, itemIndex, '');
	if (value === undefined || value === null || value === '') return undefined;
	const text = dateText(value);
	const parsed = text !== undefined && /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
	if (Number.isNaN(parsed)) {
		throwIfInvalid(this, { field, message: `${field} must be a date and time such as 2026-03-14T12:00:00Z (got ${text !== undefined && text !== '' ? `"${text.slice(0, 40)}"` : describeValue(value)})` }, itemIndex);
	}
	return new Date(parsed).toISOString();
}

/** Start (required) and End (empty: now), start not after end. */
export function readRange(this: IExecuteFunctions, itemIndex: number, allowEqual: boolean): { start: string; end: string; endGiven: boolean } {
	const start = readDate.call(this, 'startDate', 'Start Date', itemIndex);
	if (start === undefined) throwIfInvalid(this, { field: 'Start Date', message: 'Start Date is empty' }, itemIndex);
	const given = readDate.call(this, 'endDate', 'End Date', itemIndex);
	const end = given ?? new Date().toISOString();
	const before = allowEqual ? Date.parse(start as string) <= Date.parse(end) : Date.parse(start as string) < Date.parse(end);
	if (!before) throwIfInvalid(this, { field: 'Start Date', message: `Start Date must be before End Date (${start as string} is not before ${end})` }, itemIndex);
	return { start: start as string, end, endGiven: given !== undefined };
}

/**
 * Reading request fields the way the real API does: JSON and form bodies alike, with strict value checks
 * (a value the cloud would not understand is a 400, so the node's mistakes show up in tests).
 */
import { badRequest } from './errors';
import type { RequestContext } from './router';

/** The body as an object of fields ({} for an empty, non-object or ignored body). */
export function bodyFields(ctx: RequestContext): Record<string, unknown> {
	const value = ctx.body.value;
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function hasField(ctx: RequestContext, name: string): boolean {
	return Object.prototype.hasOwnProperty.call(bodyFields(ctx), name);
}

export function field(ctx: RequestContext, name: string): unknown {
	return hasField(ctx, name) ? bodyFields(ctx)[name] : undefined;
}

/** A query value; for a repeated key, the first. */
export function queryValue(ctx: RequestContext, name: string): string | undefined {
	const value = ctx.query[name];
	return Array.isArray(value) ? value[0] : value;
}

/** `format=raw` in the query or the body. */
export function wantsRaw(ctx: RequestContext): boolean {
	return (queryValue(ctx, 'format') ?? field(ctx, 'format')) === 'raw';
}

/** JSON booleans, or the strings a form carries ("true"/"false", "1"/"0"). */
export function toBoolean(value: unknown, name: string): boolean {
	if (value === true || value === 'true' || value === '1' || value === 1) return true;
	if (value === false || value === 'false' || value === '0' || value === 0) return false;
	throw badRequest(`${name} must be a boolean`);
}

/** A non-negative integer from JSON or a form string. */
export function toCount(value: unknown, name: string): number {
	const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
	if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
	throw badRequest(`${name} must be a non-negative integer`);
}

/** Strings as sent; numbers and booleans as their text (firmware only ever sees text). */
export function toText(value: unknown, name: string): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw badRequest(`${name} must be a string`);
}

export function utf8Length(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

/** An own property of a name-keyed record; "__proto__" or "constructor" from a URL never reach the prototype. */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** A body field run through a converter (toBoolean, toText, …); undefined when the field is absent. */
export function optionalField<T>(ctx: RequestContext, name: string, convert: (value: unknown, name: string) => T): T | undefined {
	return hasField(ctx, name) ? convert(field(ctx, name), name) : undefined;
}

/** Midnight UTC of a real calendar day `YYYY-MM-DD` (Date.parse would roll 2024-02-30 over to March); else undefined. */
export function calendarDay(text: string): number | undefined {
	const at = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
	return !Number.isNaN(at) && new Date(at).toISOString().startsWith(text) ? at : undefined;
}

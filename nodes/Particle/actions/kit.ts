/**
 * The operation kit: what most operations are made of, so each operation file says only what is its own (the path,
 * the list's key, its fields). Fields get their resource and operation from `fieldsFor` (n8n's
 * `updateDisplayOptions`), so a field states only the conditions that are its own.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ParticleClient } from '../../shared/client';
import { expectList, expectListIn } from '../../shared/shapes';
import type { PageOptions } from '../../shared/transport';
import { readGroupsFilter } from '../methods/groups';
import { readLimit, returnAllOrLimit, throwIfInvalid } from './common';
import type { ParticleNodeMap, ParticleOperation, ParticleResource } from './types';

/** The fields of one operation, shown only for that resource and operation. */
export function fieldsFor<Resource extends ParticleResource>(
	resource: Resource,
	operation: ParticleNodeMap[Resource],
	fields: INodeProperties[],
): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, fields);
}

/** Set when the reference documents paging for a list (`page`, the page size, `meta.total_pages`). */
export type Paging = Pick<PageOptions, 'pageSizeParameter'>;

interface ListLocation {
	path: string;
	query?: IDataObject;
}

/** Where one item's list is, and how Particle hands it over: in one answer (Limit cuts it), or in pages. */
export type ListSource =
	| (ListLocation & { /** The list's key in the answer; none when the answer is the list itself. */ itemsKey?: string; paged?: undefined })
	| (ListLocation & { itemsKey: string; paged: Paging });

export interface ListSpec<Resource extends ParticleResource> {
	resource: Resource;
	operation: ParticleNodeMap[Resource];
	/** The operation's own fields before Return All and Limit (the owner), and after them (filters, Simplify). */
	fields?: INodeProperties[];
	fieldsAfter?: INodeProperties[];
	/** The list as a user names it, for the error when the answer has none: "product list". */
	what: string;
	/** Built with paths.ts from the item's parameters. A list not paged comes in one answer and Limit cuts it. */
	source(this: IExecuteFunctions, itemIndex: number): ListSource;
	/**
	 * Which entries of this item's list are output, before Limit counts them (API users among a team, a filter the
	 * reference does not have); undefined or no `keep`: all, and Limit reads only the pages it needs.
	 */
	keep?(this: IExecuteFunctions, itemIndex: number): ((entry: IDataObject) => boolean) | undefined;
	/** The entries as items (simplified, secrets hidden); default as Particle gave them. */
	shape?(this: IExecuteFunctions, entries: IDataObject[], itemIndex: number): IDataObject[];
}

/** The entries of one list, all of them or the first `limit`. */
async function readList(
	context: IExecuteFunctions,
	client: ParticleClient,
	{ path, query, itemsKey, paged }: ListSource,
	what: string,
	limit: number | undefined,
): Promise<IDataObject[]> {
	const { itemIndex } = client;
	if (paged) return expectList(context, await client.listAll<unknown>(path, { itemsKey, limit, query, ...paged }), what, itemIndex);
	const response = await client.get<unknown>(path, { query });
	const entries = itemsKey === undefined ? expectList(context, response, what, itemIndex) : expectListIn(context, response, itemsKey, what, itemIndex);
	return limit === undefined ? entries : entries.slice(0, limit);
}

/** The head of every "Filters" collection: what Particle is asked to narrow a list by. */
export const FILTERS_COLLECTION: Pick<INodeProperties, 'displayName' | 'name' | 'type' | 'placeholder' | 'default'> = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
};

/** "Filters": options Particle filters a product list by (`deviceName`, `groups`...), their names its query keys. */
export function productFilters(description: string, options: INodeProperties[]): INodeProperties {
	return {
		...FILTERS_COLLECTION,
		description,
		displayOptions: { show: { deviceScope: ['product'] } },
		options,
	};
}

/**
 * The filters the user set, as Particle's query: text trimmed, empty text and switches left off not sent. `groups`
 * (picked as a list, or one text in older workflows) is the one comma-separated text the device list takes.
 */
export function readFilters(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const query: IDataObject = {};
	for (const [key, value] of Object.entries(filters)) {
		let sent = typeof value === 'string' ? value.trim() : value;
		if (key === 'groups') {
			const groups = readGroupsFilter(value);
			throwIfInvalid(this, groups.violation, itemIndex);
			sent = groups.names.join(',');
		}
		if (sent !== '' && sent !== false && sent !== undefined && sent !== null) query[key] = sent;
	}
	return query;
}

/** A Get Many operation: one item per entry of Particle's list, all of them or up to Limit (default 50, as n8n's). */
export function listOperation<Resource extends ParticleResource>(spec: ListSpec<Resource>): ParticleOperation {
	return {
		description: fieldsFor(spec.resource, spec.operation, [...(spec.fields ?? []), ...returnAllOrLimit({}), ...(spec.fieldsAfter ?? [])]),
		async execute(this: IExecuteFunctions, itemIndex, { client }) {
			const source = spec.source.call(this, itemIndex);
			const limit = readLimit.call(this, itemIndex);
			const { shape } = spec;
			const keep = spec.keep?.call(this, itemIndex);
			// Entries left out must not count towards Limit: then the whole list is read and cut after.
			const listed = await readList(this, client, source, spec.what, keep ? undefined : limit);
			const kept = keep ? listed.filter(keep).slice(0, limit) : listed;
			return shape ? shape.call(this, kept, itemIndex) : kept;
		},
	};
}

export interface GetSpec<Resource extends ParticleResource> {
	resource: Resource;
	operation: ParticleNodeMap[Resource];
	fields: INodeProperties[];
	/** Built with paths.ts from the item's parameters (a device named in a product is looked up through the client). */
	path(this: IExecuteFunctions, itemIndex: number, client: ParticleClient): string | Promise<string>;
	/** The key Particle wraps the thing in (`{ product: {...} }`); the answer itself when absent. */
	unwrap?: string;
	/** The thing as the item (simplified, secrets hidden); default as Particle gave it. */
	shape?(this: IExecuteFunctions, found: IDataObject, itemIndex: number): IDataObject;
}

/** A Get operation: one read by path, one item. */
export function getOperation<Resource extends ParticleResource>(spec: GetSpec<Resource>): ParticleOperation {
	return {
		description: fieldsFor(spec.resource, spec.operation, spec.fields),
		async execute(this: IExecuteFunctions, itemIndex, { client }) {
			const response = await client.get<IDataObject>(await spec.path.call(this, itemIndex, client));
			const wrapped = spec.unwrap === undefined ? undefined : response[spec.unwrap];
			const found = typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped) ? (wrapped as IDataObject) : response;
			return spec.shape ? spec.shape.call(this, found, itemIndex) : found;
		},
	};
}

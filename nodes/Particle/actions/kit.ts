/**
 * The operation kit: what most operations are made of, so each operation file says only what is its own (the path,
 * the list's key, its fields). Fields get their resource and operation from `fieldsFor` (n8n's
 * `updateDisplayOptions`), so a field states only the conditions that are its own.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { expectListIn } from '../../shared/shapes';
import type { PageOptions } from '../../shared/transport';
import { readLimit, returnAllOrLimit } from './common';
import type { ParticleNodeMap, ParticleOperation, ParticleResource } from './types';

/** The fields of one operation, shown only for that resource and operation. */
export function fieldsFor<Resource extends ParticleResource>(
	resource: Resource,
	operation: ParticleNodeMap[Resource],
	fields: INodeProperties[],
): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, fields);
}

export interface ListSpec<Resource extends ParticleResource> {
	resource: Resource;
	operation: ParticleNodeMap[Resource];
	/** The operation's own fields (the owner, filters); Return All and Limit are added after them. */
	fields?: INodeProperties[];
	/** Built with paths.ts from the item's parameters. */
	path(this: IExecuteFunctions, itemIndex: number): string;
	/** Query parameters from the item's parameters (filters), if any. */
	query?(this: IExecuteFunctions, itemIndex: number): IDataObject;
	/** The key of the list in Particle's answer, for example `products`. */
	itemsKey: string;
	/** The list as a user names it, for the error when the answer has none: "product list". */
	what: string;
	/**
	 * Set when the reference documents paging for this list (`page`, the page size, `meta.total_pages`): then only the
	 * pages needed for Limit are read. Without it the list comes in one answer and Limit cuts it.
	 */
	paged?: Pick<PageOptions, 'pageSizeParameter'>;
}

/** A Get Many operation: one item per entry of Particle's list, all of them or up to Limit. */
export function listOperation<Resource extends ParticleResource>(spec: ListSpec<Resource>): ParticleOperation {
	return {
		description: fieldsFor(spec.resource, spec.operation, [...(spec.fields ?? []), ...returnAllOrLimit({})]),
		async execute(this: IExecuteFunctions, itemIndex, { client }) {
			const path = spec.path.call(this, itemIndex);
			const query = spec.query?.call(this, itemIndex);
			const limit = readLimit.call(this, itemIndex);
			if (spec.paged) {
				return await client.listAll<IDataObject>(path, { itemsKey: spec.itemsKey, limit, query, ...spec.paged });
			}
			const response = await client.get<unknown>(path, { query });
			const entries = expectListIn(this, response, spec.itemsKey, spec.what, itemIndex);
			return limit === undefined ? entries : entries.slice(0, limit);
		},
	};
}

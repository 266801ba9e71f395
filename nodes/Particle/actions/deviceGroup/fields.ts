/**
 * Device groups of a product: the group picker (by name, from the product's list), Release's list of groups, device
 * IDs for assignments, and the checks Particle would make on a group name.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { describeValue, DEVICE_ID_PATTERN, textOf, type LimitViolation } from '../../../shared/limits';
import { productPath, segment } from '../../../shared/paths';
import { throwIfInvalid } from '../common';

/**
 * The reference ("Create device group"): "Must only contain lowercase letters, numbers, dashes, and underscores";
 * Particle's device groups guide: "The maximum length of a group name is 64 characters."
 */
export const GROUP_NAME_PATTERN = /^[a-z0-9_-]{1,64}$/;

export function checkGroupName(value: unknown, field: string): LimitViolation | null {
	const text = textOf(value)?.trim();
	if (text !== undefined && GROUP_NAME_PATTERN.test(text)) return null;
	const why = text === '' ? 'is empty' : `must be 1 to 64 lowercase letters, numbers, dashes or underscores (got ${describeValue(value)})`;
	return { field, message: `${field} ${why}` };
}

interface GroupFieldText {
	name?: string;
	displayName?: string;
	description?: string;
}

/** A group of the product: from its list, or by name (for expressions). The stored value is the group's name. */
export function groupField(text: GroupFieldText = {}): INodeProperties {
	return {
		displayName: text.displayName ?? 'Group',
		name: text.name ?? 'group',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: text.description ?? 'The device group, by name',
		typeOptions: { loadOptionsDependsOn: ['product.value'] },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchGroups', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. beta-testers',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: GROUP_NAME_PATTERN.source,
							errorMessage: 'Group names are 1 to 64 lowercase letters, numbers, dashes or underscores',
						},
					},
				],
			},
		],
	};
}

/** The value a locator holds, as stored or as a plain string (an expression that gave the name itself). */
function locatorValue(raw: unknown): unknown {
	return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'value' in raw ? (raw as { value: unknown }).value : raw;
}

/** The group a locator names, checked as Particle would check it. */
export function readGroupName(this: IExecuteFunctions, itemIndex: number, name = 'group', field = 'Group'): string {
	const value = locatorValue(this.getNodeParameter(name, itemIndex, ''));
	throwIfInvalid(this, checkGroupName(value, field), itemIndex);
	return String(value).trim();
}

/** Release's and the impact's groups: one or more group pickers. */
export function groupListField(description: string, required: boolean): INodeProperties {
	return {
		displayName: 'Groups',
		name: 'groups',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Group',
		default: {},
		required,
		description,
		options: [{ displayName: 'Group', name: 'group', values: [groupField({ name: 'name' })] }],
	};
}

/** The groups of `groupListField`, each checked, each once, in the order given. */
export function readGroupNames(this: IExecuteFunctions, itemIndex: number): string[] {
	const collection = this.getNodeParameter('groups', itemIndex, {}) as { group?: Array<{ name?: unknown }> };
	const entries = Array.isArray(collection?.group) ? collection.group : [];
	const names = entries.map((entry, index) => {
		const value = locatorValue(entry?.name);
		throwIfInvalid(this, checkGroupName(value, `Group ${index + 1}`), itemIndex);
		return String(value).trim();
	});
	return [...new Set(names)];
}

/** `/v1/products/:product/groups[/:group]` */
export function groupsPath(product: string, group?: string): string {
	return group === undefined ? productPath(product, 'groups') : productPath(product, 'groups', segment(group, 'Group'));
}

/** A bound on one item's device list (Particle documents none for the batch form): 2 requests a device when sent one by one. */
export const MAX_DEVICES_PER_ITEM = 1000;

export const deviceIdsField: INodeProperties = {
	displayName: 'Device IDs',
	name: 'deviceIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 0123456789abcdef01234567, 89abcdef0123456789abcdef',
	description: `The product devices, by ID: separated by commas, spaces or new lines, or a list from an expression (at most ${MAX_DEVICES_PER_ITEM})`,
};

/** The device IDs of an item: text or a list, each a device ID (lower-case), each once. */
export function readDeviceIds(this: IExecuteFunctions, itemIndex: number): string[] {
	const value: unknown = this.getNodeParameter('deviceIds', itemIndex, '');
	const entries = Array.isArray(value) ? value.map(textOf) : textOf(value)?.split(/[\s,]+/);
	if (entries === undefined || entries.some((entry) => entry === undefined)) {
		throwIfInvalid(this, { field: 'Device IDs', message: `Device IDs must be text or a list of device IDs (got ${describeValue(value)})` }, itemIndex);
	}
	const ids = [...new Set((entries as string[]).map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== ''))];
	if (ids.length === 0) throwIfInvalid(this, { field: 'Device IDs', message: 'Device IDs is empty' }, itemIndex);
	if (ids.length > MAX_DEVICES_PER_ITEM) {
		throwIfInvalid(this, { field: 'Device IDs', message: `Device IDs lists ${ids.length} devices; one item takes at most ${MAX_DEVICES_PER_ITEM}` }, itemIndex);
	}
	const wrong = ids.find((id) => !DEVICE_ID_PATTERN.test(id));
	if (wrong !== undefined) {
		throwIfInvalid(this, { field: 'Device IDs', message: `"${wrong.slice(0, 30)}" is not a device ID (24 hexadecimal characters)` }, itemIndex);
	}
	return ids;
}

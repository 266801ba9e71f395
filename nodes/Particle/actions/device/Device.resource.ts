import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as addToProduct from './addToProduct.operation';
import * as claim from './claim.operation';
import * as createClaimCode from './createClaimCode.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as lockFirmware from './lockFirmware.operation';
import * as ping from './ping.operation';
import * as removeFromProduct from './removeFromProduct.operation';
import * as rename from './rename.operation';
import * as setDevelopment from './setDevelopment.operation';
import * as setForceOta from './setForceOta.operation';
import * as signal from './signal.operation';
import * as unclaim from './unclaim.operation';
import * as unlockFirmware from './unlockFirmware.operation';
import * as updateNotes from './updateNotes.operation';

export const deviceOperations: ParticleOperations['device'] = {
	addToProduct,
	claim,
	createClaimCode,
	get,
	getAll,
	lockFirmware,
	ping,
	removeFromProduct,
	rename,
	setDevelopment,
	setForceOta,
	signal,
	unclaim,
	unlockFirmware,
	updateNotes,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['device'] } },
		default: 'getAll',
		options: [
			{
				name: 'Add to Product',
				value: 'addToProduct',
				description: 'Product devices only. Import a device into a product fleet by its ID, or approve one waiting in quarantine; changes the fleet.',
				action: 'Add a device to a product',
			},
			{
				name: 'Claim',
				value: 'claim',
				description: 'Make the account of the token (a user, or a product customer) the owner of a device: changes ownership. Particle has no product route for this.',
				action: 'Claim a device',
			},
			{
				name: 'Create Claim Code',
				value: 'createClaimCode',
				description: 'Create a code with which a new device is claimed during setup, to the sandbox account or through a product',
				action: 'Create a claim code',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a device: online state, last heard, platform, firmware',
				action: 'Get a device',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the devices of the sandbox or of a product',
				action: 'Get many devices',
			},
			{
				name: 'Lock Firmware',
				value: 'lockFirmware',
				description: 'Product devices only. Make a device run one product firmware version, whatever is released; optionally update it now (changes the device).',
				action: 'Lock a device to a firmware version',
			},
			{
				name: 'Mark as Development Device',
				value: 'setDevelopment',
				description: 'Product devices only. Mark a device as a development device (no automatic product firmware updates), or return it to the fleet.',
				action: 'Mark as development device',
			},
			{
				name: 'Ping',
				value: 'ping',
				description: 'Ask the device whether it is online now (the device is contacted)',
				action: 'Ping a device',
			},
			{
				name: 'Remove From Product',
				value: 'removeFromProduct',
				description: 'Product devices only. Remove a device from a product fleet: changes membership, and a customer-owned device loses its owner.',
				action: 'Remove a device from a product',
			},
			{
				name: 'Rename',
				value: 'rename',
				description: 'Give a device a new name (changes the device)',
				action: 'Rename a device',
			},
			{
				name: 'Set Force OTA',
				value: 'setForceOta',
				description: 'Product devices only. Force firmware updates on a device even when its firmware has disabled them, or stop forcing them.',
				action: 'Set force OTA updates on a device',
			},
			{
				name: 'Signal',
				value: 'signal',
				description: 'Start or stop the rainbow LED, to find a device',
				action: 'Signal a device',
			},
			{
				name: 'Unclaim',
				value: 'unclaim',
				description: 'Remove the owner of a device: changes ownership, and the owner loses access to it',
				action: 'Unclaim a device',
			},
			{
				name: 'Unlock Firmware',
				value: 'unlockFirmware',
				description: 'Product devices only. Remove a device\'s firmware lock: it runs what is released to it again (changes the device).',
				action: 'Unlock the firmware of a device',
			},
			{
				name: 'Update Notes',
				value: 'updateNotes',
				description: 'Replace the notes kept with a device (changes the device)',
				action: 'Update device notes',
			},
		],
	},
	...get.description,
	...getAll.description,
	...rename.description,
	...ping.description,
	...updateNotes.description,
	...signal.description,
	...claim.description,
	...unclaim.description,
	...setDevelopment.description,
	...addToProduct.description,
	...removeFromProduct.description,
	...createClaimCode.description,
	...lockFirmware.description,
	...unlockFirmware.description,
	...setForceOta.description,
];

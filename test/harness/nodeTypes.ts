import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';

import { Particle } from '../../nodes/Particle/Particle.node';
import { ParticleEventTrigger } from '../../nodes/ParticleEventTrigger/ParticleEventTrigger.node';
import { ParticleTrigger } from '../../nodes/ParticleTrigger/ParticleTrigger.node';
import { ParticleProbe } from './probeNode';

/** The package's nodes under the type names n8n gives a community package. */
export const PACKAGE_PREFIX = 'n8n-nodes-particle.';

const nodeTypesByName = new Map<string, INodeType>([
	[`${PACKAGE_PREFIX}particle`, new Particle()],
	[`${PACKAGE_PREFIX}particleProbe`, new ParticleProbe()],
	[`${PACKAGE_PREFIX}particleTrigger`, new ParticleTrigger()],
	[`${PACKAGE_PREFIX}particleEventTrigger`, new ParticleEventTrigger()],
]);

export function registerNodeType(name: string, nodeType: INodeType): void {
	nodeTypesByName.set(name, nodeType);
}

export const nodeTypes: INodeTypes = {
	getByName(name: string): INodeType | IVersionedNodeType {
		const found = nodeTypesByName.get(name);
		if (!found) throw new Error(`Unknown node type ${name}`);
		return found;
	},
	getByNameAndVersion(name: string): INodeType {
		const found = nodeTypesByName.get(name);
		if (!found) throw new Error(`Unknown node type ${name}`);
		return found;
	},
	getKnownTypes(): IDataObject {
		return {};
	},
};

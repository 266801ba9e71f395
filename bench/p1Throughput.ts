/**
 * P1 action throughput: N function calls (fake cloud latency ~20 ms) through the Particle node at concurrency 1 and 10,
 * through n8n's HTTP Request node with its default options, and through raw undici at the same concurrency.
 * Run: node --expose-gc -r @swc-node/register bench/p1Throughput.ts [--quick]
 */
import './env';

import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { INode, INodeType, IVersionedNodeType } from 'n8n-workflow';
import { Agent, request } from 'undici';

import { startFakeCloud, type FakeCloud } from '../fake-cloud';
import { TestCredentialsHelper } from '../test/harness/credentials';
import { CREDENTIAL_ID } from '../test/harness/engine';
import { PACKAGE_PREFIX } from '../test/harness/nodeTypes';
import { benchNodeTypes, executeNode } from './engine';
import { median, ratioOf, report, runIfMain, timed, type BenchOptions, type Figure } from './lib';

const LATENCY_MS = 20;
const FUNCTION_NAME = 'led';
const ARGUMENT = 'on';
const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
const BEARER_CREDENTIAL_ID = 'bench-bearer-1';

/** n8n-nodes-base from the n8n the demo installs, else N8N_NODES_BASE_DIR (the package folder or a node_modules). */
export function findNodesBase(): string | undefined {
	const candidates = [join(__dirname, '..', '.demo-cache', 'n8n', 'node_modules', 'n8n-nodes-base')];
	const fromEnv = process.env.N8N_NODES_BASE_DIR;
	if (fromEnv) candidates.push(fromEnv, join(fromEnv, 'n8n-nodes-base'), join(fromEnv, 'node_modules', 'n8n-nodes-base'));
	return candidates.find((dir) => existsSync(join(dir, 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js')));
}

interface HttpRequestModule {
	HttpRequest: new () => IVersionedNodeType;
}

/**
 * n8n's HTTP Request node as n8n loads it. Its own requires (n8n-workflow and the rest) resolve from its own
 * node_modules; only plain data and the execution context cross between the two copies, so no `instanceof` meets a
 * class from the other copy on the success path measured here.
 */
function loadHttpRequest(dir: string): { type: IVersionedNodeType; version: number; packageVersion: string } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const loaded = require(join(dir, 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js')) as HttpRequestModule;
	const type = new loaded.HttpRequest();
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const packageVersion = (require(join(dir, 'package.json')) as { version: string }).version;
	// The version n8n gives a new HTTP Request node in the editor.
	const versions = Object.keys(type.nodeVersions).map(Number);
	return { type, version: type.description.defaultVersion ?? Math.max(...versions), packageVersion };
}

function particleNode(concurrency: number): INode {
	return {
		id: 'particle-1',
		name: 'Particle',
		type: `${PACKAGE_PREFIX}particle`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			resource: 'function',
			operation: 'call',
			device: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			functionName: FUNCTION_NAME,
			argument: ARGUMENT,
			...(concurrency > 1 ? { itemProcessing: { concurrency } } : {}),
		},
		credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
	};
}

/**
 * How a user would call a Particle function with the HTTP Request node, leaving every option at its default:
 * POST, URL with the device ID from the item, Authentication "Generic Credential Type" -> "Bearer Auth" (the token),
 * Send Body with the default JSON "Using Fields Below" and one field `arg`. No Batching option added.
 */
function httpRequestNode(cloud: FakeCloud, version: number): INode {
	return {
		id: 'http-1',
		name: 'HTTP Request',
		type: HTTP_REQUEST_TYPE,
		typeVersion: version,
		position: [0, 0],
		parameters: {
			method: 'POST',
			url: `=${cloud.url}/v1/devices/{{ $json.id }}/${FUNCTION_NAME}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpBearerAuth',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: { parameters: [{ name: 'arg', value: ARGUMENT }] },
			options: {},
		},
		credentials: { httpBearerAuth: { id: BEARER_CREDENTIAL_ID, name: 'Particle token (Bearer)' } },
	};
}

/** The same POSTs with undici: `concurrency` workers, each sending the next call when its previous one is answered. */
async function rawUndici(cloud: FakeCloud, ids: string[], concurrency: number): Promise<void> {
	const agent = new Agent({ connections: concurrency });
	let next = 0;
	const worker = async () => {
		for (let index = next++; index < ids.length; index = next++) {
			const response = await request(`${cloud.url}/v1/devices/${ids[index]}/${FUNCTION_NAME}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${cloud.tokens.user}`, 'content-type': 'application/json' },
				body: JSON.stringify({ arg: ARGUMENT }),
				dispatcher: agent,
			});
			const body = (await response.body.json()) as { return_value?: number };
			if (response.statusCode !== 200 || body.return_value !== 1) throw new Error(`undici call failed: ${response.statusCode}`);
		}
	};
	try {
		await Promise.all(Array.from({ length: concurrency }, worker));
	} finally {
		await agent.close();
	}
}

export async function run(options: BenchOptions): Promise<Figure[]> {
	const calls = options.quick ? 100 : 1000;
	const runs = options.quick ? 1 : 3;
	const figures: Figure[] = [];
	const cloud = await startFakeCloud({ devices: 10, productDevices: 1, seed: 7 });
	try {
		const online = cloud.fleet.sandboxDevices().filter((device) => device.online);
		const ids = Array.from({ length: calls }, (_, index) => online[index % online.length].id);
		const items = ids.map((id) => ({ id }));
		const credentialsHelper = new TestCredentialsHelper();
		credentialsHelper.store.set(CREDENTIAL_ID, { authMode: 'accessToken', accessToken: cloud.tokens.user, baseUrl: cloud.url, sessionToken: '' });
		credentialsHelper.store.set(BEARER_CREDENTIAL_ID, { token: cloud.tokens.user, allowedDomains: '' });

		const nodesBase = findNodesBase();
		const http = nodesBase ? loadHttpRequest(nodesBase) : undefined;
		if (!http) {
			console.log(
				'P1: n8n-nodes-base not found (looked in .demo-cache/n8n/node_modules and N8N_NODES_BASE_DIR). Run `npm start` once (it installs n8n), then run the bench again; the HTTP Request node part is skipped.',
			);
		}
		const extra: Record<string, INodeType | IVersionedNodeType> = http ? { [HTTP_REQUEST_TYPE]: http.type } : {};
		const nodeTypes = benchNodeTypes(extra);

		const checkParticle = (output: Awaited<ReturnType<typeof executeNode>>) => {
			if (output.items.length !== calls || output.items.some((item) => item.json.return_value !== 1)) {
				throw new Error('Particle node: not every call returned 1');
			}
		};
		// Warm-up: loads n8n-core's request path, opens sockets, JIT; not measured.
		cloud.setLatency(0);
		checkParticle(await executeNode(particleNode(10), nodeTypes, items, credentialsHelper));
		if (http) await executeNode(httpRequestNode(cloud, http.version), nodeTypes, items.slice(0, 50), credentialsHelper);
		await rawUndici(cloud, ids.slice(0, 50), 10);
		cloud.setLatency(LATENCY_MS);

		const wall: Record<string, number[]> = { particle1: [], particle10: [], undici1: [], undici10: [], http: [] };
		// Interleaved, so a noisy neighbour slows every variant alike.
		for (let round = 0; round < runs; round++) {
			for (const concurrency of [1, 10]) {
				cloud.clearRequests();
				wall[`particle${concurrency}`].push(
					await timed(async () => checkParticle(await executeNode(particleNode(concurrency), nodeTypes, items, credentialsHelper))),
				);
				if (cloud.requests.length !== calls) throw new Error(`Particle node sent ${cloud.requests.length} requests for ${calls} calls`);
				wall[`undici${concurrency}`].push(await timed(() => rawUndici(cloud, ids, concurrency)));
			}
			if (http) {
				cloud.clearRequests();
				wall.http.push(
					await timed(async () => {
						const output = await executeNode(httpRequestNode(cloud, http.version), nodeTypes, items, credentialsHelper);
						if (output.items.length !== calls || output.items.some((item) => item.json.return_value !== 1)) {
							throw new Error('HTTP Request node: not every call returned 1');
						}
					}),
				);
				if (cloud.requests.length !== calls) throw new Error(`HTTP Request node sent ${cloud.requests.length} requests`);
			}
			cloud.clearRequests();
		}

		const perSecond = (ms: number) => (calls / ms) * 1000;
		const p1 = median(wall.particle1);
		const p10 = median(wall.particle10);
		const u1 = median(wall.undici1);
		const u10 = median(wall.undici10);
		const floor1 = calls * LATENCY_MS;
		report(figures, {
			group: 'P1',
			name: `Particle node, ${calls} calls, concurrency 1: wall time`,
			value: p1,
			unit: 'ms',
			runs,
			baseline: { name: 'raw undici, concurrency 1', value: u1 },
			ratio: ratioOf(p1, u1),
			target: '<= 1.3x undici',
			met: ratioOf(p1, u1) <= 1.3,
			note: `floor ${calls} x ${LATENCY_MS} ms latency = ${floor1} ms; Particle ${perSecond(p1).toFixed(0)} calls/s`,
		});
		report(figures, {
			group: 'P1',
			name: `Particle node, ${calls} calls, concurrency 10: wall time`,
			value: p10,
			unit: 'ms',
			runs,
			baseline: { name: 'raw undici, concurrency 10', value: u10 },
			ratio: ratioOf(p10, u10),
			target: '<= 1.3x undici',
			met: ratioOf(p10, u10) <= 1.3,
			note: `floor ${floor1 / 10} ms; Particle ${perSecond(p10).toFixed(0)} calls/s`,
		});
		if (http) {
			const h = median(wall.http);
			const label = `HTTP Request node v${http.version} (n8n-nodes-base ${http.packageVersion}), default options`;
			report(figures, {
				group: 'P1',
				name: `${label}: wall time, ${calls} calls`,
				value: h,
				unit: 'ms',
				runs,
				note: `${perSecond(h).toFixed(0)} calls/s; with default options it sends every item's request at once (no Batching option: no limit on requests in flight)`,
			});
			for (const [concurrency, particle] of [
				[1, p1],
				[10, p10],
			] as const) {
				const speedup = ratioOf(h, particle);
				report(figures, {
					group: 'P1',
					name: `Particle node concurrency ${concurrency} vs HTTP Request node default: throughput`,
					value: perSecond(particle),
					unit: 'calls/s',
					runs,
					baseline: { name: 'HTTP Request node default', value: perSecond(h) },
					ratio: speedup,
					ratioNote: 'Particle throughput / HTTP Request throughput',
					target: '>= 3x',
					met: speedup >= 3,
				});
			}
		}
	} finally {
		await cloud.close();
	}
	return figures;
}

runIfMain(module, run, 900_000);

/** The launcher's pure-ish parts: when a build can be skipped, and how it reads n8n's activation outcome. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { activationStates, distIsCurrent } from '../../demo/launcher';
import { N8nRest } from '../../demo/n8n';

describe('distIsCurrent', () => {
	let root: string;
	beforeEach(() => {
		root = mkdtempSync(join(tmpdir(), 'dist-current-'));
		mkdirSync(join(root, 'nodes', 'Particle'), { recursive: true });
		writeFileSync(join(root, 'nodes', 'Particle', 'Particle.node.ts'), '');
		writeFileSync(join(root, 'package.json'), '{}');
	});
	afterEach(() => rmSync(root, { recursive: true, force: true }));

	const at = (file: string, seconds: number): void => utimesSync(join(root, file), seconds, seconds);

	it('is false without dist/, true when dist/ is newer than every input, false after an input changes', () => {
		expect(distIsCurrent(root)).toBe(false);
		mkdirSync(join(root, 'dist', 'nodes'), { recursive: true });
		writeFileSync(join(root, 'dist', 'nodes', 'a.js'), '');
		writeFileSync(join(root, 'dist', 'index.js'), '');
		at('nodes/Particle/Particle.node.ts', 1000);
		at('package.json', 1000);
		at('dist/nodes/a.js', 2000);
		at('dist/index.js', 2001);
		expect(distIsCurrent(root)).toBe(true);
		at('nodes/Particle/Particle.node.ts', 3000);
		expect(distIsCurrent(root)).toBe(false);
		at('nodes/Particle/Particle.node.ts', 1000);
		// The oldest file of dist/ counts: one left from an earlier build makes it stale.
		at('dist/nodes/a.js', 500);
		expect(distIsCurrent(root)).toBe(false);
	});
});

describe('activationStates', () => {
	let server: Server;
	let rest: N8nRest;
	const workflows: Record<string, { active: boolean; publication: Array<{ status: string; triggers?: Array<{ status: string; errorMessage: string | null }> }> }> = {};
	let calls = 0;

	beforeAll(async () => {
		server = createServer((request, response) => {
			calls++;
			const match = /^\/rest\/workflows\/(\w+)(\/publication-status)?$/.exec(request.url ?? '');
			const workflow = match ? workflows[match[1]] : undefined;
			if (!match || !workflow) return void response.writeHead(404).end();
			// Each read of the status moves on to the next one given, the last one stays.
			const data = match[2] ? (workflow.publication.length > 1 ? workflow.publication.shift() : workflow.publication[0]) : { id: match[1], active: workflow.active };
			response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		rest = new N8nRest(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('waits while n8n publishes, then reports active, failed (with the trigger errors), off, or still pending', async () => {
		workflows.a = { active: true, publication: [{ status: 'in_progress' }, { status: 'not_published' }, { status: 'published' }] };
		workflows.b = {
			active: true,
			publication: [{ status: 'failed', triggers: [{ status: 'failed', errorMessage: 'Particle did not accept the access token' }, { status: 'activated', errorMessage: null }] }],
		};
		workflows.c = { active: false, publication: [{ status: 'not_published' }] };
		workflows.d = { active: true, publication: [{ status: 'in_progress' }] };
		calls = 0;
		const states = await activationStates(
			rest,
			['a', 'b', 'c', 'd'].map((id) => ({ name: `workflow ${id}`, id })),
			1500,
		);
		expect(states).toEqual([
			{ name: 'workflow a', id: 'a', activation: { state: 'active' } },
			{ name: 'workflow b', id: 'b', activation: { state: 'failed', error: 'Particle did not accept the access token' } },
			{ name: 'workflow c', id: 'c', activation: { state: 'off' } },
			{ name: 'workflow d', id: 'd', activation: { state: 'pending', status: 'in_progress' } },
		]);
		// Bounded: a few reads a second while waiting, not a busy loop.
		expect(calls).toBeLessThan(40);
	});
});

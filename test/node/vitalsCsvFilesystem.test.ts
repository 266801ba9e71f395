/**
 * Vitals > Get History as CSV with n8n's binary data on disk, as a default n8n 2.41 stores it ("filesystem" mode):
 * Particle's CSV goes from the socket to the file, and the item holds only a reference to it.
 * (The other engine tests run the binary data service without a storage manager: in memory, base64 in the item.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';

import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const storage = mkdtempSync(join(tmpdir(), 'particle-binary-'));
const cloud = useFakeCloud({ devices: 2 });
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

beforeAll(async () => {
	// Read by n8n's BinaryDataConfig when the service is first made.
	process.env.N8N_BINARY_DATA_STORAGE_PATH = storage;
	await Container.get(BinaryDataService).init();
});
afterAll(() => rmSync(storage, { recursive: true, force: true }));

it('stores Particle\'s CSV as a file on disk, byte for byte, the item holding only its reference', async () => {
	const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
	// One record a minute: a day of them (1,440 rows), more than one chunk of the fake's stream.
	cloud().setVitalsInterval(device.id, 1);
	const start = new Date(Date.now() - 24 * 3_600_000).toISOString();
	const result = await runNode({
		parameters: { resource: 'vitals', operation: 'getHistory', device: rl('id', device.id), startDate: start, output: 'csv', csvOptions: { includeDeviceName: false } },
		credentials: userToken(cloud()),
	});
	expect(result.status).toBe('success');
	const binary = result.items[0].binary?.data;
	expect(binary).toMatchObject({ mimeType: 'text/csv', data: 'filesystem-v2', id: expect.stringMatching(/^filesystem-v2:/) });

	const [call] = apiCalls(cloud());
	const search = new URLSearchParams(call.query as Record<string, string>).toString();
	const expected = await (await fetch(`${cloud().url}${call.path}?${search}`, { headers: { authorization: `Bearer ${cloud().tokens.user}`, accept: 'text/csv' } })).text();
	const onDisk = readFileSync(Container.get(BinaryDataService).getPath(binary!.id!), 'utf8');
	expect(onDisk).toBe(expected);
	expect(onDisk.split('\n').length - 2).toBeGreaterThanOrEqual(1_439);
	expect(result.items[0].json.bytes).toBe(Buffer.byteLength(expected));
});

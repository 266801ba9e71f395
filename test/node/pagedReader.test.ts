/**
 * The paged reader (transport.requestAllPages) against small servers that page badly: one that ignores `page` (as a
 * cloud may for the customer list, which documents no paging) and one whose pages overlap. It must stop when a page
 * brings nothing new, keep each entry once, and send the page size under the name the reference documents.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { CredentialData } from '../harness/credentials';
import { runNode } from '../harness/engine';

interface SeenRequest {
	path: string;
	query: Record<string, string>;
}

interface PageServer {
	url: string;
	seen: SeenRequest[];
	close(): Promise<void>;
}

/** Answers every GET with `pageFor(page)` as JSON; records what was asked. */
async function startPageServer(pageFor: (page: number, path: string) => unknown): Promise<PageServer> {
	const seen: SeenRequest[] = [];
	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		seen.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
		const body = JSON.stringify(pageFor(Number(url.searchParams.get('page') ?? '1'), url.pathname));
		res.writeHead(200, { 'content-type': 'application/json' }).end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const credentialsFor = (server: PageServer): CredentialData => ({ authMode: 'accessToken', accessToken: 'a'.repeat(40), baseUrl: server.url });
const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const customers = (ids: number[]) => ids.map((id) => ({ id: `c${id}`, username: `customer${id}@example.com` }));

let server: PageServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('a cloud that ignores page', () => {
	it('reads page 1 and page 2, sees nothing new, stops: each customer once, not 50 times', async () => {
		server = await startPageServer(() => ({ customers: customers([1, 2, 3]), meta: { total_pages: 50 } }));
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'getAll', product: rl('my-product-1'), returnAll: true },
			credentials: credentialsFor(server),
		});

		expect(result.status).toBe('success');
		expect(server.seen.map((request) => request.query.page)).toEqual(['1', '2']);
		expect(result.items.map((item) => item.json.username)).toEqual(['customer1@example.com', 'customer2@example.com', 'customer3@example.com']);
		expect(result.items.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
	});

	it('stops at a repeated page of devices whose only key is the device ID, with a limit as without', async () => {
		const devices = Array.from({ length: 100 }, (_, index) => ({ id: index.toString(16).padStart(24, '0'), name: `d${index}` }));
		server = await startPageServer(() => ({ devices, meta: { total_pages: 9 } }));
		const result = await runNode({
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'product', product: rl('fleet-2'), returnAll: false, limit: 250, simplify: false },
			credentials: credentialsFor(server),
		});

		expect(result.items).toHaveLength(100);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(100);
		expect(server.seen.map((request) => request.query)).toEqual([
			{ page: '1', perPage: '100' },
			{ page: '2', perPage: '100' },
		]);
	});
});

describe('pages that overlap', () => {
	it('keeps each entry once across pages and reads to the last page', async () => {
		// A list that shifted while it was read: every page repeats the last entry of the one before.
		server = await startPageServer((page) => ({ customers: customers([page * 2 - 1, page * 2, page * 2 + 1]), meta: { total_pages: 3 } }));
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'getAll', product: rl('my-product-1'), returnAll: true },
			credentials: credentialsFor(server),
		});

		expect(server.seen.map((request) => request.query.page)).toEqual(['1', '2', '3']);
		expect(result.items.map((item) => item.json.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
	});

	it('tells entries without an ID apart by their ICCID, and SIM pages by the documented perPage', async () => {
		const sims = (page: number) => [{ iccid: `89340765000000000${page}0` }, { iccid: `89340765000000000${page}1` }];
		server = await startPageServer((page) => ({ sims: page <= 2 ? sims(page) : sims(2), meta: { total_pages: 4 } }));
		const result = await runNode({
			parameters: { resource: 'sim', operation: 'getAll', deviceScope: 'product', product: rl('tracker-3'), returnAll: true },
			credentials: credentialsFor(server),
		});

		expect(result.items.map((item) => item.json.iccid)).toEqual(['8934076500000000010', '8934076500000000011', '8934076500000000020', '8934076500000000021']);
		expect(server.seen.map((request) => request.query)).toEqual([
			{ page: '1', perPage: '100' },
			{ page: '2', perPage: '100' },
			{ page: '3', perPage: '100' },
		]);
	});
});

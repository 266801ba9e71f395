/**
 * `npm run fake-cloud -- --port 4010 --devices 20 --products 2 --seed 1` starts the fake cloud until Ctrl+C.
 * It prints its tokens: it is a local fake and they open nothing real.
 */
import { resolve } from 'node:path';

import { startFakeCloud, USER_EMAIL, USER_PASSWORD, type FakeCloudOptions } from './index';
import { keepFleetState } from './persist';
import { DEFAULT_READING_EVERY_MS } from './script';

const FLAGS: Record<string, keyof FakeCloudOptions> = {
	'--port': 'port',
	'--devices': 'devices',
	'--products': 'products',
	'--product-devices': 'productDevices',
	'--seed': 'seed',
	'--latency': 'latencyMs',
	'--token-lifetime': 'tokenLifetimeSeconds',
};

/** Fleet life: the mean time between online/offline changes, and between readings (0 or absent churn: a still fleet). */
const SCRIPT_FLAGS = { '--churn-ms': 'churnMs', '--reading-ms': 'readingMs' } as const;
/** `--state <file>`: the fleet's names, online state and last_heard are loaded from and saved to this file. */
const STATE_FLAG = '--state';

const USAGE = `usage: npm run fake-cloud -- [--port 4010] [--devices 4] [--products 1] [--product-devices 6]
                             [--seed 1] [--latency 0] [--token-lifetime 3600]
                             [--churn-ms 120000] [--reading-ms 5000] [--state fleet-state.json]
`;

type NumericOptions = { [K in keyof FakeCloudOptions]?: number };
export type CliOptions = NumericOptions & { churnMs?: number; readingMs?: number; stateFile?: string };

export function parseArgs(argv: readonly string[]): CliOptions {
	const options: CliOptions = {};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		if (flag === STATE_FLAG) {
			const file = inline ?? argv[++i];
			if (!file) throw new Error(`${flag} needs a file`);
			options.stateFile = resolve(file);
			continue;
		}
		const scriptKey = Object.prototype.hasOwnProperty.call(SCRIPT_FLAGS, flag) ? SCRIPT_FLAGS[flag as keyof typeof SCRIPT_FLAGS] : undefined;
		if (scriptKey) {
			const text = inline ?? argv[++i];
			if (text === undefined || !/^\d+$/.test(text)) throw new Error(`${flag} needs a non-negative integer`);
			options[scriptKey] = Number(text);
			continue;
		}
		const key = Object.prototype.hasOwnProperty.call(FLAGS, flag) ? FLAGS[flag] : undefined;
		if (!key) throw new Error(`unknown option ${argv[i]}`);
		const text = inline ?? argv[++i];
		if (text === undefined || !/^\d+$/.test(text)) throw new Error(`${flag} needs a non-negative integer`);
		options[key] = Number(text);
	}
	return options;
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	if (args.includes('--help') || args.includes('-h')) {
		process.stdout.write(USAGE);
		return;
	}
	let options: CliOptions;
	try {
		options = parseArgs(args);
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	const { churnMs, readingMs, stateFile, ...cloudOptions } = options;
	const cloud = await startFakeCloud(cloudOptions as FakeCloudOptions);
	// Before the script: it continues from the saved fleet, not from the seed's.
	const keeper = stateFile ? keepFleetState(cloud.fleet, stateFile) : undefined;
	if (churnMs) cloud.startFleetScript({ everyMs: churnMs, readingEveryMs: readingMs, seed: options.seed });
	const { fleet, tokens, productClient: client } = cloud;
	const product = fleet.products[0];
	process.stdout.write(
		[
			`Fake Particle Cloud listening on ${cloud.url}`,
			`  fleet            seed ${options.seed ?? 1}: ${fleet.sandboxDevices().length} sandbox devices, ` +
				`${fleet.products.length} product(s) (${fleet.products.map((p) => `${p.id} ${p.slug}`).join(', ')})`,
			`  user token       ${tokens.user}  (${USER_EMAIL}, password ${USER_PASSWORD})`,
			`  API-user token   ${tokens.apiUser}  (product ${product.id}, scopes devices:list devices:get)`,
			`  customer token   ${tokens.customer}  (${product.customers[0].username})`,
			`  product client   id ${client.clientId}  secret ${client.clientSecret}  (product ${client.productId})`,
			'',
			'Example:',
			`  curl -H "Authorization: Bearer ${tokens.user}" ${cloud.url}/v1/devices`,
			'',
			churnMs
				? `Fleet script: a device goes offline or comes back every ${churnMs} ms on average; a demo/temperature reading ` +
					`every ${readingMs ?? DEFAULT_READING_EVERY_MS} ms per group (sandbox, each product); vitals every minute.`
				: 'Fleet is still (add --churn-ms 120000 for life).',
			keeper
				? keeper.loaded.from === 'file'
					? `Fleet state: continued from ${stateFile} (${keeper.loaded.restored} devices); saved there as it changes.`
					: `Fleet state: ${keeper.loaded.reason ?? `new; saved to ${stateFile} as it changes`}.`
				: 'Fleet state: not kept (add --state <file> to keep it across restarts).',
			'Ctrl+C stops it.',
			'',
		].join('\n'),
	);

	let stopping = false;
	const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
	const stop = (): void => {
		if (stopping) process.exit(1); // a second signal means "now"
		stopping = true;
		keeper?.stop();
		void cloud.close().then(() => {
			for (const signal of signals) process.off(signal, stop);
			process.stdout.write('Fake Particle Cloud stopped.\n');
		});
	};
	for (const signal of signals) process.on(signal, stop);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`fake cloud failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	});
}

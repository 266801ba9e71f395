/**
 * `npm run fake-cloud -- --port 4010 --devices 20 --products 2 --seed 1` starts the fake cloud until Ctrl+C.
 * It prints its tokens: it is a local fake and they open nothing real.
 */
import { startFakeCloud, USER_EMAIL, USER_PASSWORD, type FakeCloudOptions } from './index';

const FLAGS: Record<string, keyof FakeCloudOptions> = {
	'--port': 'port',
	'--devices': 'devices',
	'--products': 'products',
	'--product-devices': 'productDevices',
	'--seed': 'seed',
	'--latency': 'latencyMs',
	'--token-lifetime': 'tokenLifetimeSeconds',
};

/** `--churn-ms N`: a fleet script step every N ms (0 or absent: a still fleet). */
const CHURN_FLAG = '--churn-ms';

const USAGE = `usage: npm run fake-cloud -- [--port 4010] [--devices 4] [--products 1] [--product-devices 6]
                             [--seed 1] [--latency 0] [--token-lifetime 3600] [--churn-ms 5000]
`;

type NumericOptions = { [K in keyof FakeCloudOptions]?: number };

export function parseArgs(argv: readonly string[]): NumericOptions & { churnMs?: number } {
	const options: NumericOptions & { churnMs?: number } = {};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		if (flag === CHURN_FLAG) {
			const text = inline ?? argv[++i];
			if (text === undefined || !/^\d+$/.test(text)) throw new Error(`${flag} needs a non-negative integer`);
			options.churnMs = Number(text);
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
	let options: NumericOptions & { churnMs?: number };
	try {
		options = parseArgs(args);
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	const { churnMs, ...cloudOptions } = options;
	const cloud = await startFakeCloud(cloudOptions as FakeCloudOptions);
	if (churnMs) cloud.startFleetScript({ everyMs: churnMs, seed: options.seed });
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
			churnMs ? `Fleet script: one change every ${churnMs} ms (offline/online, vitals, demo/temperature events).` : 'Fleet is still (add --churn-ms 5000 for life).',
			'Ctrl+C stops it.',
			'',
		].join('\n'),
	);

	let stopping = false;
	const stop = (): void => {
		if (stopping) process.exit(1); // a second signal means "now"
		stopping = true;
		void cloud.close().then(() => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			process.stdout.write('Fake Particle Cloud stopped.\n');
		});
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`fake cloud failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	});
}

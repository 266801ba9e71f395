/**
 * The fake cloud for P4, in a process of its own, so the memory P4 measures is the node's and n8n's, not the fake's
 * generating a million rows. Every sandbox device online; the first devices get the vitals intervals asked for.
 * Prints one JSON line ({ url, token, ids }) when ready; ends when its stdin closes (the parent is gone).
 * Run by bench/p4Csv.ts: node -r @swc-node/register bench/vitalsCloud.ts '{"devices":3,"intervalsMinutes":[60,1]}'
 */
import { startFakeCloud } from '../fake-cloud';

interface Spec {
	devices: number;
	/** Minutes between generated records, for the first devices in order. */
	intervalsMinutes: number[];
}

async function main(): Promise<void> {
	const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
	const cloud = await startFakeCloud({ devices: spec.devices, products: 1, productDevices: 1, seed: 11 });
	const devices = cloud.fleet.sandboxDevices();
	for (const device of devices) cloud.setOnline(device.id, true);
	spec.intervalsMinutes.forEach((minutes, index) => cloud.setVitalsInterval(devices[index].id, minutes));
	process.stdout.write(`${JSON.stringify({ url: cloud.url, token: cloud.tokens.user, ids: devices.map((device) => device.id) })}\n`);
	process.stdin.on('end', () => {
		void cloud.close().then(() => process.exit(0));
	});
	process.stdin.resume();
}

void main();

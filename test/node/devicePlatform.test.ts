/** Device > Get and Get Many name the platform next to Particle's platform_id, simplified or not. */
import type { IDataObject } from 'n8n-workflow';

import { useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 6, products: 1, productDevices: 30 });

/** The names Particle gives the fake fleet's platforms (its docs' platform list). */
const PLATFORMS: Record<number, string> = { 6: 'Photon', 12: 'Argon', 13: 'Boron', 23: 'B-SoM', 26: 'Tracker', 32: 'Photon 2 / P2' };
const rl = (value: string) => ({ __rl: true, mode: 'id', value });

describe('platform names in device output', () => {
	it.each([true, false])('Device > Get (simplify %p) keeps platform_id and adds platform right after it', async (simplify) => {
		const device = cloud().fleet.sandboxDevices()[0];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'get', deviceScope: 'sandbox', device: rl(device.id), simplify },
			credentials: userToken(cloud()),
		});
		const json = result.items[0].json;
		expect(json).toMatchObject({ id: device.id, platform_id: device.platform_id, platform: PLATFORMS[device.platform_id] });
		const keys = Object.keys(json);
		expect(keys.indexOf('platform')).toBe(keys.indexOf('platform_id') + 1);
	});

	it('Device > Get of a product device names its platform too', async () => {
		const product = cloud().fleet.products[0];
		const device = cloud().fleet.productDevices(product.id)[3];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'get', deviceScope: 'product', product: rl(String(product.id)), device: rl(device.id) },
			credentials: userToken(cloud()),
		});
		expect(result.items[0].json).toMatchObject({ platform_id: product.platform_id, platform: PLATFORMS[product.platform_id] });
	});

	it('Device > Get Many, simplified, names every device\'s platform', async () => {
		const result = await runNode({ parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', returnAll: true }, credentials: userToken(cloud()) });
		const devices = result.items.map((item) => item.json as IDataObject);
		expect(devices).toHaveLength(cloud().fleet.sandboxDevices().length);
		for (const device of devices) expect(device.platform).toBe(PLATFORMS[device.platform_id as number]);
	});
});

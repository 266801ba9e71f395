/**
 * A product OAuth client scoped to customers:create gets tokens that cannot read devices. When a device read with the
 * client's token is refused, the error says so, through n8n's engine against the fake cloud.
 */
import { productClient, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 1, productDevices: 2 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const listProductDevices = () => ({
	resource: 'device',
	operation: 'getAll',
	deviceScope: 'product',
	product: rl('id', String(cloud().productClient.productId)),
	returnAll: true,
});

describe('a device read refused for the OAuth client', () => {
	it('names the customers:create client type in the description', async () => {
		cloud().injectFault({ method: 'GET', path: `/v1/products/${cloud().productClient.productId}/devices`, status: 403 });
		const result = await runNode({ parameters: listProductDevices(), credentials: productClient(cloud()) });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^The Particle token is not allowed to do this/);
		expect(result.error?.description).toMatch(/scoped to customers:create .* cannot read or control devices/);
	});

	it('says nothing of it for a user token', async () => {
		cloud().injectFault({ method: 'GET', path: `/v1/products/${cloud().productClient.productId}/devices`, status: 403 });
		const result = await runNode({ parameters: listProductDevices(), credentials: userToken(cloud()) });
		expect(result.status).toBe('error');
		expect(result.error?.description).not.toMatch(/customers:create/);
	});
});

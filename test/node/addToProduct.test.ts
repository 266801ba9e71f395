/**
 * Device > Add to Product through n8n's engine: Particle's import summary comes out whole, the reference's
 * protectedDeviceIds included ("Device identifiers that are protected and could not be imported into a non-protected
 * product").
 */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 4, products: 2, productDevices: 2 });

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Device > Add to Product', () => {
	it('keeps protectedDeviceIds: a protected device stays out of a product without Device Protection', async () => {
		const [shielded, plain] = cloud().fleet.sandboxDevices();
		shielded.deviceProtection = 'active';
		const product = cloud().fleet.products[1];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'addToProduct', product: rl(String(product.id)), deviceId: '={{ $json.id }}' },
			credentials: userToken(cloud()),
			items: [{ id: shielded.id }, { id: plain.id }],
		});

		expect(apiCalls(cloud()).map((call) => [call.method, call.path, call.body])).toEqual([
			['POST', `/v1/products/${product.id}/devices`, { id: shielded.id }],
			['POST', `/v1/products/${product.id}/devices`, { id: plain.id }],
		]);
		const summary = (ids: Partial<Record<string, string[]>>, updated: number) => ({
			updated,
			updatedDeviceIds: [],
			existingDeviceIds: [],
			nonmemberDeviceIds: [],
			invalidDeviceIds: [],
			protectedDeviceIds: [],
			...ids,
		});
		expect(result.items).toEqual([
			{ json: summary({ protectedDeviceIds: [shielded.id] }, 0), pairedItem: { item: 0 } },
			{ json: summary({ updatedDeviceIds: [plain.id] }, 1), pairedItem: { item: 1 } },
		]);
		expect(cloud().fleet.productOf(shielded)).toBeUndefined();
		expect(cloud().fleet.productOf(plain)?.id).toBe(product.id);
	});

	it('reports a device of another product as a non-member, which the reference says belongs to another owner', async () => {
		const [first, second] = cloud().fleet.products;
		const elsewhere = cloud().fleet.productDevices(first.id)[0];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'addToProduct', product: rl(second.slug), deviceId: elsewhere.id },
			credentials: userToken(cloud()),
		});

		expect(result.items[0].json).toMatchObject({ updated: 0, nonmemberDeviceIds: [elsewhere.id], protectedDeviceIds: [] });
		expect(cloud().fleet.productOf(elsewhere)?.id).toBe(first.id);
	});
});

/**
 * Device > Create Claim Code through n8n's engine against the fake cloud. Particle ties a claim code to the account
 * whose token asks for it; for a product that is the customer who will own the device (particle-api-js: "To
 * generate a claim code for a product, the access token MUST belong to a customer of the product").
 */
import { apiCalls, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 2, productDevices: 4 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => cloud().productClient.productId;
const clientBasic = () => `Basic ${Buffer.from(`${cloud().productClient.clientId}:${cloud().productClient.clientSecret}`).toString('base64')}`;

describe('Device > Create Claim Code', () => {
	it('product scope: asks with a token minted for the customer (HTTP Basic client, no bearer), with ICCID and IMEI', async () => {
		const [customer] = cloud().fleet.products[0].customers;
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'createClaimCode',
				deviceScope: 'product',
				product: rl('id', String(productId())),
				customer: customer.username,
				claimOptions: { iccid: ' 89014103211118510720 ', imei: '352753090000000' },
			},
			credentials: productClient(cloud()),
		});

		expect(result.status).toBe('success');
		const exchanges = tokenExchanges(cloud()).filter((call) => (call.body as Record<string, string>).scope !== undefined);
		expect(exchanges).toHaveLength(1);
		expect(exchanges[0]).toMatchObject({ authorization: clientBasic(), status: 200 });
		expect(exchanges[0].body).toEqual({ grant_type: 'client_credentials', scope: `customer=${customer.username}`, expires_in: '300' });
		const claims = apiCalls(cloud());
		expect(claims).toHaveLength(1);
		expect(claims[0]).toMatchObject({ method: 'POST', path: `/v1/products/${productId()}/device_claims`, status: 200, query: {} });
		expect(claims[0].body).toEqual({ iccid: '89014103211118510720', imei: '352753090000000' });
		expect(claims[0].authorization).toMatch(/^Bearer [0-9a-f]{40}$/);
		// The fake refuses anything but a customer token here, as the reference requires.
		expect(cloud().fleet.claimCodes.at(-1)).toMatchObject({
			claim_code: result.items[0].json.claim_code,
			owner: customer.username,
			productId: productId(),
			iccid: '89014103211118510720',
		});
		expect(result.items).toEqual([
			{ json: { customer: customer.username, claim_code: expect.any(String), device_ids: expect.any(Array) }, pairedItem: { item: 0 } },
		]);
		expect(JSON.stringify(result.items)).not.toContain(String(claims[0].authorization).slice(7));
	});

	it('product scope with a user token: a clear error before anything is sent', async () => {
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'createClaimCode',
				deviceScope: 'product',
				product: rl('id', String(productId())),
				customer: cloud().fleet.products[0].customers[0].username,
			},
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('This operation needs a product OAuth client');
		expect(cloud().requests).toHaveLength(0);
	});

	it('product scope without a customer: a clear error before anything is sent', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'createClaimCode', deviceScope: 'product', product: rl('id', String(productId())), customer: '={{ "" }}' },
			credentials: productClient(cloud()),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Customer must be an email or identifier/);
		expect(cloud().requests).toHaveLength(0);
	});

	it('sandbox: the credential’s own account asks, with its own token, and will own the device', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'createClaimCode' },
			credentials: userToken(cloud()),
		});
		const [call] = apiCalls(cloud());
		expect(apiCalls(cloud())).toHaveLength(1);
		expect(call).toMatchObject({ method: 'POST', path: '/v1/device_claims', authorization: `Bearer ${cloud().tokens.user}` });
		expect(cloud().fleet.claimCodes.at(-1)).toMatchObject({ claim_code: result.items[0].json.claim_code, owner: cloud().fleet.user.username, productId: null });
	});
});

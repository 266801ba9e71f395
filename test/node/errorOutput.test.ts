/**
 * "Continue (using error output)": a failed item goes down the node's error output, with Particle's words and the
 * HTTP status, and the other items down the main output, through n8n's engine against the fake cloud.
 */
import { useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 4 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

describe('the error output', () => {
	it('sends the unknown device to the error output with httpCode 404, the known one to the main output', async () => {
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		const unknown = 'ffffffffffffffffffffffff';
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', '={{ $json.id }}'), functionName: 'setColor', argument: '255,0,10' },
			items: [{ id: device.id }, { id: unknown }],
			credentials: userToken(cloud()),
			continueOnFail: 'errorOutput',
		});

		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.id)).toEqual([device.id]);
		expect(result.errorItems).toHaveLength(1);
		// Only error, message and details: n8n routes nothing else to the error output.
		expect(Object.keys(result.errorItems[0].json).sort()).toEqual(['details', 'error']);
		expect(result.errorItems[0].json).toMatchObject({
			error: expect.stringMatching(/^Particle could not find the device ffffffffffffffffffffffff/),
			details: { httpCode: '404', description: expect.stringMatching(/\S/) },
		});
		expect(result.errorItems[0].pairedItem).toEqual({ item: 1 });
	});

	it('keeps both on the main output with "Continue" (regular output), the error item with its httpCode', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'get', device: rl('id', 'ffffffffffffffffffffffff') },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});
		expect(result.errorItems).toEqual([]);
		expect(result.items[0].json).toMatchObject({ httpCode: '404', error: expect.stringMatching(/^Particle could not find the device/) });
	});
});

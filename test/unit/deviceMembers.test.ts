import { memberItems } from '../../nodes/Particle/methods/deviceMembers';

describe('the variable and function pickers, from a device as Particle answers it', () => {
	const device = {
		id: '0123456789abcdef01234567',
		variables: { temperature: 'double', counter: 'int32', Status: 'string', enabled: 'bool' },
		functions: ['setColor', 'led', 'reset'],
	};

	it('lists variables by name with their type as people write it, sorted', () => {
		expect(memberItems(device, 'variables')).toEqual([
			{ name: 'counter', value: 'counter', description: 'int' },
			{ name: 'enabled', value: 'enabled', description: 'bool' },
			{ name: 'Status', value: 'Status', description: 'string' },
			{ name: 'temperature', value: 'temperature', description: 'double' },
		]);
	});

	it('lists functions by name, filtered by any part of the name whatever its case', () => {
		expect(memberItems(device, 'functions')).toEqual([
			{ name: 'led', value: 'led' },
			{ name: 'reset', value: 'reset' },
			{ name: 'setColor', value: 'setColor' },
		]);
		expect(memberItems(device, 'functions', 'COL')).toEqual([{ name: 'setColor', value: 'setColor' }]);
		expect(memberItems(device, 'variables', 'stat').map((item) => item.value)).toEqual(['Status']);
	});

	it('lists nothing for a device that registered nothing, or answered another shape', () => {
		expect(memberItems({ id: 'x' }, 'variables')).toEqual([]);
		expect(memberItems({ id: 'x', functions: null, variables: null }, 'functions')).toEqual([]);
		expect(memberItems({ id: 'x', functions: ['ok', 3, null], variables: ['not', 'an', 'object'] }, 'functions')).toEqual([{ name: 'ok', value: 'ok' }]);
		expect(memberItems({ id: 'x', variables: ['not', 'an', 'object'] }, 'variables')).toEqual([]);
	});

	it('shows a type Particle may add later as it is', () => {
		expect(memberItems({ variables: { blob: 'buffer', odd: 5 } }, 'variables')).toEqual([
			{ name: 'blob', value: 'blob', description: 'buffer' },
			{ name: 'odd', value: 'odd' },
		]);
	});
});

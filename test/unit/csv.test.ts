import { csvCell, flattenObject, vitalsColumns, vitalsCsvLines, vitalsFileName, type VitalsRecord } from '../../nodes/shared/csv';

const records: VitalsRecord[] = [
	{
		deviceId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
		deviceName: 'boron, "north"',
		timestamp: '2026-11-01T00:00:00.000Z',
		payload: { device: { power: { battery: { charge: 87.5, state: 'charging' } }, network: { signal: { strengthv: -57 } } } },
	},
	{
		deviceId: 'bbbbbbbbbbbbbbbbbbbbbbbb',
		deviceName: null,
		timestamp: '2026-11-01T01:00:00.000Z',
		payload: { device: { power: { battery: { charge: 12 } }, system: { memory: { used: 36016 } } }, service: { notes: '=HYPERLINK("x")', list: [1, 2] } },
	},
];

describe('csv', () => {
	it('flattens nested vitals to dotted paths', () => {
		expect(flattenObject({ a: { b: 1, c: { d: 'x' } }, e: [1], f: null })).toEqual({ 'a.b': 1, 'a.c.d': 'x', e: '[1]', f: null });
	});

	it('quotes per RFC 4180 and neutralises formula starts, but keeps numbers plain', () => {
		expect(csvCell('plain')).toBe('plain');
		expect(csvCell('a,b')).toBe('"a,b"');
		expect(csvCell('say "hi"')).toBe('"say ""hi"""');
		expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
		expect(csvCell('=1+1')).toBe("'=1+1");
		expect(csvCell('+1')).toBe("'+1");
		expect(csvCell('-57')).toBe("'-57");
		expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvCell('\tx')).toBe("'\tx");
		expect(csvCell('\rx')).toBe('"\'\rx"');
		expect(csvCell('=a,b')).toBe('"\'=a,b"');
		expect(csvCell(-57)).toBe('-57');
		expect(csvCell(87.5)).toBe('87.5');
		expect(csvCell(Number.NaN)).toBe('');
		expect(csvCell(true)).toBe('true');
		expect(csvCell(null)).toBe('');
		expect(csvCell('ünïcødé')).toBe('ünïcødé');
	});

	it('uses the union of all columns in a stable order, whatever the record order', () => {
		const columns = vitalsColumns(records);
		expect(columns).toEqual([
			'device_id',
			'device_name',
			'timestamp',
			'device.network.signal.strengthv',
			'device.power.battery.charge',
			'device.power.battery.state',
			'device.system.memory.used',
			'service.list',
			'service.notes',
		]);
		expect(vitalsColumns([...records].reverse())).toEqual(columns);
	});

	it('writes the file cell by cell', () => {
		const text = [...vitalsCsvLines(records, vitalsColumns(records))].join('');
		expect(text.split('\r\n')).toEqual([
			'device_id,device_name,timestamp,device.network.signal.strengthv,device.power.battery.charge,device.power.battery.state,device.system.memory.used,service.list,service.notes',
			'aaaaaaaaaaaaaaaaaaaaaaaa,"boron, ""north""",2026-11-01T00:00:00.000Z,-57,87.5,charging,,,',
			'bbbbbbbbbbbbbbbbbbbbbbbb,,2026-11-01T01:00:00.000Z,,12,,36016,"[1,2]","\'=HYPERLINK(""x"")"',
			'',
		]);
	});

	it('names the file safely', () => {
		expect(vitalsFileName('boron/../x', '2026-11-01T00:00:00.000Z', '2026-11-02')).toBe('vitals_boron-x_2026-11-01T00-00-00-000Z_2026-11-02.csv');
		expect(vitalsFileName('', 'a', 'b')).toBe('vitals_all_a_b.csv');
	});
});

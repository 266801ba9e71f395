import {
	cachedPathCount,
	csvCell,
	DEVICE_COLUMNS,
	extraColumns,
	flattenObject,
	KNOWN_HEADERS,
	MAX_CACHED_PATHS,
	vitalsCsvLines,
	vitalsCsvPart,
	vitalsFileName,
	type VitalsDeviceFacts,
} from '../../nodes/shared/csv';

const boron: VitalsDeviceFacts = { deviceId: 'a'.repeat(24), deviceName: 'boron, "north"', platform: 'Boron', online: true, lastHeard: '2026-11-01T02:00:00.000Z' };
const argon: VitalsDeviceFacts = { deviceId: 'b'.repeat(24), deviceName: '=cmd', platform: 12, online: false, lastHeard: null };

// The reference's example payload (cellular), trimmed to what the assertions read.
const cellular = {
	device: {
		network: {
			cellular: { operator: 'AT&T Wireless Inc.', radio_access_technology: '3G', cell_global_identity: { mobile_country_code: 310, mobile_network_code: '410', location_area_code: 45997, cell_id: 20160117 } },
			signal: { at: 'UMTS', strength: 66.66, strength_units: '%', strengthv: -57, strengthv_units: 'dBm', strengthv_type: 'RSCP', quality: 75.51, quality_units: '%', qualityv: -6, qualityv_units: 'dB', qualityv_type: 'ECN0' },
		},
		cloud: { connection: { status: 'connected', disconnects: 23, attempts: 2 } },
		power: { battery: { charge: 87.12, state: 'not_charging' }, source: 'VIN' },
		system: { uptime: 2567461, memory: { used: 36016, total: 113664 } },
	},
};
// Wi-Fi, with the field-list spelling of cloud disconnects and a path Particle does not document.
const wifi = {
	device: { network: { signal: { strength: 40, strengthv: -70 } }, cloud: { disconnects: 4 }, power: { battery: { charge: 12 } } },
	custom: { note: '@SUM(A1)', list: [1, 2] },
};

const cell = (line: string, header: string[], name: string) => line.split(',')[header.indexOf(name)];

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

	it('puts what an operator reads first, first, with units in the header and no unit columns', () => {
		expect(KNOWN_HEADERS.slice(0, 13)).toEqual([
			'device_id',
			'device_name',
			'platform',
			'time',
			'online',
			'last_heard',
			'battery_charge_pct',
			'battery_state',
			'signal_strength_pct',
			'signal_quality_pct',
			'cloud_disconnects',
			'memory_used_bytes',
			'memory_total_bytes',
		]);
		expect(new Set(KNOWN_HEADERS).size).toBe(KNOWN_HEADERS.length);
		expect(KNOWN_HEADERS.filter((header) => /units|\./.test(header))).toEqual([]);
		expect(KNOWN_HEADERS).toEqual(expect.arrayContaining(['signal_strength_dbm', 'signal_quality_db', 'uptime_s', 'coap_round_trip_ms', 'cellular_operator']));
	});

	it('writes each device\'s rows under one header, the same for Wi-Fi and cellular, extras last and sorted', () => {
		const parts = [
			vitalsCsvPart(boron, [{ timestamp: '2026-11-01T00:00:00.000Z', payload: cellular }]),
			vitalsCsvPart(argon, [{ timestamp: '2026-11-01T01:00:00.000Z', payload: wifi }]),
		];
		const lines = [...vitalsCsvLines(parts)];
		expect(lines.every((line) => line.endsWith('\r\n'))).toBe(true);
		const [headerLine, boronLine, argonLine] = lines.map((line) => line.slice(0, -2));
		const header = headerLine.split(',');
		expect(header).toEqual([...KNOWN_HEADERS, 'custom.list', 'custom.note']);
		expect(boronLine.startsWith(`${boron.deviceId},"boron, ""north""",Boron,2026-11-01T00:00:00.000Z,true,2026-11-01T02:00:00.000Z,87.12,not_charging,66.66,75.51,23,36016,113664,-57,RSCP,-6,ECN0,UMTS,VIN,`)).toBe(true);
		// The quoted name holds a comma: read the rest of the boron line from its end.
		expect(boronLine.endsWith(',,')).toBe(true);
		expect(cell(argonLine, header, 'device_id')).toBe(argon.deviceId);
		expect(cell(argonLine, header, 'device_name')).toBe("'=cmd");
		expect(cell(argonLine, header, 'platform')).toBe('12');
		expect(cell(argonLine, header, 'online')).toBe('false');
		expect(cell(argonLine, header, 'last_heard')).toBe('');
		expect(cell(argonLine, header, 'battery_charge_pct')).toBe('12');
		expect(cell(argonLine, header, 'cloud_disconnects')).toBe('4');
		expect(cell(argonLine, header, 'signal_strength_dbm')).toBe('-70');
		expect(cell(argonLine, header, 'cellular_operator')).toBe('');
		expect(argonLine.endsWith(',"[1,2]",\'@SUM(A1)')).toBe(true);
		expect(argonLine.split(',').length - 1).toBe(header.length); // "[1,2]" holds one comma more
	});

	it('keeps the column order whatever the device order, so files can be appended', () => {
		const first = vitalsCsvPart(boron, [{ timestamp: 't1', payload: cellular }]);
		const second = vitalsCsvPart(argon, [{ timestamp: 't2', payload: wifi }]);
		expect(extraColumns([first, second])).toEqual(extraColumns([second, first]));
		const headerOf = (parts: Parameters<typeof vitalsCsvLines>[0]) => [...vitalsCsvLines(parts)][0];
		expect(headerOf([first])).toBe(headerOf([vitalsCsvPart(argon, [{ timestamp: 't', payload: { device: {} } }])]));
		expect(headerOf([first]).split(',').slice(0, DEVICE_COLUMNS.length)).toEqual([...DEVICE_COLUMNS]);
		expect([...vitalsCsvLines([vitalsCsvPart(boron, [])])]).toEqual([`${KNOWN_HEADERS.join(',')}\r\n`]);
	});

	it('drops each row once written when asked, the lines unchanged', () => {
		const kept = vitalsCsvPart(argon, [{ timestamp: 't1', payload: wifi }, { timestamp: 't2', payload: cellular }]);
		const spent = vitalsCsvPart(argon, [{ timestamp: 't1', payload: wifi }, { timestamp: 't2', payload: cellular }]);
		expect([...vitalsCsvLines([spent], true)]).toEqual([...vitalsCsvLines([kept])]);
		expect(spent.rows).toEqual(['', '']);
		expect(spent.extras.size).toBe(0);
		expect(kept.rows.every((row) => row.startsWith(argon.deviceId))).toBe(true);
	});

	it('caches at most MAX_CACHED_PATHS dotted paths in all, however many distinct parents and keys arrive', () => {
		// 120 parents with 120 children each: 14,520 distinct paths, no parent near the cap by itself.
		const hostile: Record<string, Record<string, number>> = {};
		for (let parent = 0; parent < 120; parent++) {
			const children: Record<string, number> = {};
			for (let child = 0; child < 120; child++) children[`k${child}`] = child;
			hostile[`p${parent}`] = children;
		}
		const flat = flattenObject(hostile);
		expect(Object.keys(flat)).toHaveLength(14_400);
		expect(flat['p0.k0']).toBe(0);
		// Built beyond the cap too, just not kept.
		expect(flat['p119.k119']).toBe(119);
		expect(cachedPathCount()).toBe(MAX_CACHED_PATHS);
		expect(flattenObject(hostile)).toEqual(flat);
		expect(cachedPathCount()).toBe(MAX_CACHED_PATHS);
	});

	it('names the file safely', () => {
		expect(vitalsFileName('boron/../x', '2026-11-01T00:00:00.000Z', '2026-11-02')).toBe('vitals_boron-x_2026-11-01T00-00-00-000Z_2026-11-02.csv');
		expect(vitalsFileName('', 'a', 'b')).toBe('vitals_all_a_b.csv');
	});
});

import { devicePath, devicesPath, PathSegmentError, productPath, segment, v1Path } from '../../nodes/shared/paths';

describe('paths', () => {
	it('builds sandbox and product device routes', () => {
		expect(devicesPath({ kind: 'sandbox' })).toBe('/v1/devices');
		expect(devicesPath({ kind: 'product', product: '12345' })).toBe('/v1/products/12345/devices');
		expect(devicePath({ kind: 'product', product: 'my-fleet-1' }, 'abc', 'ping')).toBe(
			'/v1/products/my-fleet-1/devices/abc/ping',
		);
		expect(productPath('42', 'team')).toBe('/v1/products/42/team');
		expect(v1Path('access_tokens', 'current')).toBe('/v1/access_tokens/current');
	});

	it.each([
		['../x?y#z', '..%2Fx%3Fy%23z'],
		['a/b', 'a%2Fb'],
		['50% off', '50%25%20off'],
		['temp&x=1', 'temp%26x%3D1'],
		['héllo', 'h%C3%A9llo'],
		['a..b', 'a..b'],
	])('keeps %p inside one segment', (raw, encoded) => {
		const path = devicePath({ kind: 'sandbox' }, raw);
		expect(path).toBe(`/v1/devices/${encoded}`);
		// Whatever a URL parser does, the value stays the last segment of the devices route.
		const parsed = new URL(`http://127.0.0.1${path}`);
		expect(parsed.pathname).toBe(path);
		expect(parsed.search).toBe('');
		expect(parsed.hash).toBe('');
		expect(decodeURIComponent(parsed.pathname.split('/')[3])).toBe(raw);
	});

	it.each(['', '  ', '.', '..'])('refuses the segment %p', (raw) => {
		expect(() => segment(raw, 'Device')).toThrow(PathSegmentError);
		expect(() => segment(raw, 'Device')).toThrow(/^Device /);
	});
});

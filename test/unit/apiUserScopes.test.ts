/**
 * The API-user scope lists held to Particle's reference: the fixture is what scripts/extract-api-user-scopes.js read
 * from the reference; the node's list and the fake's own list must each be exactly that list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { KNOWN_API_USER_SCOPES } from '../../fake-cloud/routes/team';
import { SCOPES } from '../../nodes/Particle/actions/apiUser/fields';
import reference from '../fixtures/particle-reference/api-user-scopes.json';

const SCOPE_FORMAT = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*:[a-z][a-z0-9_]*$/;
const codeUnitOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('API-user scopes against the reference', () => {
	it('the fixture names where it was read and holds a sorted list of scopes, each once', () => {
		expect(reference.source).toEqual({ repo: 'particle-iot/docs', path: 'generated/api-service.json', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
		expect(reference.scopes.length).toBeGreaterThan(0);
		expect([...reference.scopes].sort(codeUnitOrder)).toEqual(reference.scopes);
		expect(new Set(reference.scopes).size).toBe(reference.scopes.length);
		for (const scope of reference.scopes) expect(scope).toMatch(SCOPE_FORMAT);
	});

	it('the node offers exactly the reference’s scopes, in order', () => {
		expect([...SCOPES]).toEqual(reference.scopes);
	});

	it('the fake knows exactly the reference’s scopes', () => {
		expect([...KNOWN_API_USER_SCOPES].sort(codeUnitOrder)).toEqual(reference.scopes);
	});

	it('the fake’s list is its own: it imports neither the node’s list nor the fixture', () => {
		const source = readFileSync(join(__dirname, '../../fake-cloud/routes/team.ts'), 'utf8');
		const imports = [...source.matchAll(/^import[^;]*from '([^']+)';/gm)].map((match) => match[1]);
		expect(imports.length).toBeGreaterThan(0);
		for (const from of imports) expect(from).not.toMatch(/nodes\/|fixtures|particle-reference/);
	});

	it('neither list keeps the scopes the current reference does not have', () => {
		for (const gone of ['devices.diagnostics.metadata:get', 'pricing_terms:get']) {
			expect(SCOPES).not.toContain(gone);
			expect(KNOWN_API_USER_SCOPES.has(gone)).toBe(false);
		}
	});
});

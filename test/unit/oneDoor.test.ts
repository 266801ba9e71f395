/**
 * One door, really one: read every shipped source file as TypeScript and fail when a module other than the transport
 * and the client imports the transport's senders, or calls one of n8n's request helpers itself; and the Base URL
 * default is one constant, which the credential's field uses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

import * as ts from 'typescript';

import { ParticleApi } from '../../credentials/ParticleApi.credentials';
import { DEFAULT_BASE_URL } from '../../nodes/shared/baseUrl';

const root = resolve(__dirname, '..', '..');
/** The door (transport) and its one handle (the client): the only modules that may send. */
const DOOR = new Set(['nodes/shared/transport.ts', 'nodes/shared/client.ts']);
const SENDERS = new Set(['request', 'requestAllPages', 'requestDownload', 'openStream']);
/** n8n's request helpers, current and legacy. */
const N8N_HELPERS = new Set([
	'httpRequest',
	'httpRequestWithAuthentication',
	'requestWithAuthentication',
	'requestWithAuthenticationPaginated',
	'requestOAuth1',
	'requestOAuth2',
]);

function sourceFiles(folder: string): string[] {
	return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.split(sep).join('/')] : [];
	});
}

/** Whether an import specifier, seen from `file`, names nodes/shared/transport(.ts). */
function isTransport(file: string, specifier: string): boolean {
	if (!specifier.startsWith('.')) return false;
	const target = relative(root, resolve(root, file, '..', specifier)).split(sep).join('/');
	return target === 'nodes/shared/transport' || target === 'nodes/shared/transport.ts';
}

/** What a file does that only the door may: each finding as `file: what`. Comments and strings are not code. */
function doorFindings(file: string, text: string): string[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
	const findings: string[] = [];
	const transportNamespaces = new Set<string>();
	const visit = (node: ts.Node): void => {
		if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && isTransport(file, node.moduleSpecifier.text)) {
			const bindings = node.importClause?.namedBindings;
			if (bindings && ts.isNamespaceImport(bindings)) transportNamespaces.add(bindings.name.text);
			if (bindings && ts.isNamedImports(bindings)) {
				for (const element of bindings.elements) {
					const imported = (element.propertyName ?? element.name).text;
					if (SENDERS.has(imported)) findings.push(`${file}: imports ${imported} from the transport`);
				}
			}
		}
		if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && transportNamespaces.has(node.expression.text)) {
			if (SENDERS.has(node.name.text)) findings.push(`${file}: uses ${node.expression.text}.${node.name.text}`);
		}
		// Any mention as code (a call, a destructuring, a property access) of one of n8n's request helpers.
		if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && N8N_HELPERS.has(node.text)) {
			findings.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: uses n8n's ${node.text}`);
		}
		// require('../shared/transport') would get around the import check.
		if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
			const [argument] = node.arguments;
			if (argument && ts.isStringLiteral(argument) && isTransport(file, argument.text)) findings.push(`${file}: requires the transport`);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return findings;
}

/** String literals that are exactly the default Base URL, as `file:line`. */
function baseUrlLiterals(file: string, text: string): string[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
	const found: string[] = [];
	const visit = (node: ts.Node): void => {
		if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.replace(/\/+$/, '') === DEFAULT_BASE_URL) {
			found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('one door to the Particle Cloud', () => {
	const files = sourceFiles('nodes');

	it('reads the shipped sources (the scan is not looking at nothing)', () => {
		expect(files).toEqual(expect.arrayContaining([...DOOR, 'nodes/Particle/router.ts', 'nodes/shared/eventStream.ts']));
		expect(files.length).toBeGreaterThan(50);
	});

	it('no module but the transport and the client imports request, requestAllPages, requestDownload or openStream, or calls n8n\'s request helpers', () => {
		const findings = files.filter((file) => !DOOR.has(file)).flatMap((file) => doorFindings(file, read(file)));
		expect(findings).toEqual([]);
	});

	it('the client goes through the transport, and only the transport calls n8n\'s request helpers', () => {
		expect(doorFindings('nodes/shared/client.ts', read('nodes/shared/client.ts')).filter((finding) => finding.includes('n8n'))).toEqual([]);
		expect(doorFindings('nodes/shared/transport.ts', read('nodes/shared/transport.ts')).some((finding) => finding.includes('httpRequestWithAuthentication'))).toBe(true);
	});

	it('the scan finds each way around the door (so the test above can fail)', () => {
		const file = 'nodes/Particle/actions/device/example.operation.ts';
		const sneaky = [
			"import { request as send, type RateLimitGate } from '../../../shared/transport';",
			"import * as door from '../../../shared/transport';",
			"import { requestAllPages } from '../../../shared/transport.ts';",
			'// this.helpers.httpRequest in a comment is not code',
			"const words = 'httpRequestWithAuthentication in a string is not code';",
			'async function run(this: any) {',
			'\tawait door.openStream(this, "/v1/events", new AbortController().signal);',
			"\tawait this.helpers.httpRequestWithAuthentication.call(this, 'particleApi', {});",
			'\tconst { httpRequest } = this.helpers;',
			"\trequire('../../../shared/transport');",
			'}',
		].join('\n');
		expect(doorFindings(file, sneaky)).toEqual([
			`${file}: imports request from the transport`,
			`${file}: imports requestAllPages from the transport`,
			`${file}: uses door.openStream`,
			`${file}:8: uses n8n's httpRequestWithAuthentication`,
			`${file}:9: uses n8n's httpRequest`,
			`${file}: requires the transport`,
		]);
		// Types and other helpers from the transport are fine; so is another module named like it.
		expect(doorFindings(file, "import { RateLimitGate, toNodeApiError } from '../../../shared/transport';\nimport { request } from './transport';")).toEqual([]);
	});
});

describe('the Base URL default', () => {
	it('is written once, in nodes/shared/baseUrl.ts (descriptions may mention it in their text)', () => {
		const files = [...sourceFiles('nodes'), ...sourceFiles('credentials')];
		expect(files.flatMap((file) => baseUrlLiterals(file, read(file)))).toEqual([expect.stringMatching(/^nodes\/shared\/baseUrl\.ts:\d+$/)]);
	});

	it('is the credential field\'s default, taken from that constant', () => {
		const field = new ParticleApi().properties.find((property) => property.name === 'baseUrl');
		expect(field?.default).toBe(DEFAULT_BASE_URL);
		expect(DEFAULT_BASE_URL).toBe('https://api.particle.io');
	});
});

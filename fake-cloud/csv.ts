/** Flattening for the fake's own CSV answer: `{ a: { b: 1 } }` -> `{ 'a.b': 1 }`. */
export function flattenForCsv(value: unknown, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		for (const [key, inner] of Object.entries(value as Record<string, unknown>)) flattenForCsv(inner, prefix ? `${prefix}.${key}` : key, into);
	} else if (prefix !== '') {
		into[prefix] = Array.isArray(value) ? JSON.stringify(value) : value;
	}
	return into;
}

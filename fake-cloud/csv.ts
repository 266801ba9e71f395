/** CSV helpers for the fake's own CSV answers (vitals history, usage report downloads). */

/** `{ a: { b: 1 } }` -> `{ 'a.b': 1 }`; arrays stay whole, as JSON. */
export function flattenForCsv(value: unknown, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		for (const [key, inner] of Object.entries(value as Record<string, unknown>)) flattenForCsv(inner, prefix ? `${prefix}.${key}` : key, into);
	} else if (prefix !== '') {
		into[prefix] = Array.isArray(value) ? JSON.stringify(value) : value;
	}
	return into;
}

/** One cell: empty for null/undefined, objects as JSON, quoted when it holds a comma, quote or line break. */
export function csvCell(value: unknown): string {
	if (value === undefined || value === null) return '';
	// Template literals rather than String(): no global lookup per cell (slow under Jest's vm sandbox).
	if (typeof value === 'number' || typeof value === 'boolean') return `${value}`;
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The value at a path of keys; undefined where the path leaves the objects. */
export function valueAt(value: unknown, path: readonly string[]): unknown {
	let current = value;
	for (const key of path) current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
	return current;
}

export function csvLine(cells: readonly unknown[]): string {
	return cells.map(csvCell).join(',') + '\n';
}

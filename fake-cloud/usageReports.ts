/**
 * Usage reports: pending when created, available once their delay has passed and someone reads them again (the real
 * cloud takes minutes and emails a link). The download link points at the fake itself and serves a small CSV.
 */
import type { FakeUsageReport } from './admin';
import { csvLine } from './csv';
import type { Fleet } from './fleet';

export const DOWNLOAD_PREFIX = '/fake-downloads';
const REPORT_LIFETIME_MS = 7 * 86_400_000;

/** Makes a due report available; `origin` is the fake's own `http://host:port` as the client addressed it. */
export function settleReport(report: FakeUsageReport, now: number, origin: string): void {
	if (report.attributes.state !== 'pending' || now < report.readyAt) return;
	report.attributes.state = 'available';
	report.attributes.download_url = `${origin}${DOWNLOAD_PREFIX}/${report.id}.csv`;
	report.attributes.expires_at = new Date(now + REPORT_LIFETIME_MS).toISOString();
}

/** The report without the fake's bookkeeping, as `{ data: ... }` carries it. */
export function reportJson({ id, type, attributes }: FakeUsageReport): Record<string, unknown> {
	return { id, type, attributes };
}

/** A stable small number from text, so the same report always has the same figures. */
function figure(text: string, max: number): number {
	let hash = 7;
	for (let index = 0; index < text.length; index++) hash = (Math.imul(hash, 31) + text.charCodeAt(index)) >>> 0;
	return hash % max;
}

/** What a report without an explicit list covers: the owner's devices, or its products. */
function ownerScope(fleet: Fleet, owner: string, byProduct: boolean): string[] {
	const products = fleet.products.filter((product) => (owner === 'user' ? product.orgId === null : product.orgId === owner));
	if (byProduct) return products.map((product) => String(product.id));
	const devices = owner === 'user' ? fleet.sandboxDevices() : products.flatMap((product) => fleet.productDevices(product.id));
	return devices.map((device) => device.id);
}

/** One row per device (or product) for the whole period; the column set is the fake's own (unconfirmed). */
export function usageReportCsv(fleet: Fleet, report: FakeUsageReport): string {
	const attributes = report.attributes;
	const params = attributes.report_params as { devices: string[]; products: string[] };
	const byProduct = attributes.report_type === 'products';
	const listed = byProduct ? params.products : params.devices;
	const ids = listed.length > 0 ? listed : ownerScope(fleet, report.owner, byProduct);
	const nameOf = (id: string) => (byProduct ? fleet.findProduct(id)?.name : fleet.devices.get(id)?.name) ?? '';
	const period = [attributes.date_period_start, attributes.date_period_end];
	const kind = byProduct ? 'product' : 'device';
	const rows = ids.map((id) => {
		const operations = figure(`${id}/${period.join()}`, 5000);
		const megabytes = (figure(`${period.join()}/${id}`, 10_000) / 100).toFixed(2);
		return csvLine([...period, id, nameOf(id), operations, megabytes]);
	});
	return csvLine(['date_period_start', 'date_period_end', `${kind}_id`, `${kind}_name`, 'data_operations', 'data_mb']) + rows.join('');
}

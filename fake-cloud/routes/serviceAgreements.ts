/**
 * Service agreements of the user (sandbox) or of an organization, their notifications, and usage reports that are
 * pending when created and available (with a download URL) once asked for again.
 */
import { randomBytes } from 'node:crypto';
import { notificationFor, type FakeServiceAgreement } from '../admin';
import { requireScope } from '../access';
import { badRequest, notFound, permissionDenied } from '../errors';
import { field, optionalField, toText } from '../fields';
import { ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';
import { findOrganization } from './team';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function ownerOf(ctx: RequestContext, who: TokenRecord): string {
	if (who.kind !== 'user') throw permissionDenied();
	return ctx.params.org === undefined ? 'user' : findOrganization(ctx, ctx.params.org).id;
}

function agreement(ctx: RequestContext, owner: string): FakeServiceAgreement {
	const found = ctx.fleet.serviceAgreements.find((candidate) => candidate.id === ctx.params.agreement && candidate.owner === owner);
	if (!found) throw notFound('Service agreement not found');
	return found;
}

function createReport(ctx: RequestContext, who: TokenRecord): Reply {
	requireScope(who, 'service_agreements.usage_reports:create');
	const owner = ownerOf(ctx, who);
	const found = agreement(ctx, owner);
	const reportType = toText(field(ctx, 'report_type'), 'report_type');
	if (reportType !== 'devices' && reportType !== 'products') throw badRequest('report_type must be devices or products');
	const start = optionalField(ctx, 'date_period_start', toText) ?? '';
	const end = optionalField(ctx, 'date_period_end', toText) ?? '';
	if (!DATE.test(start) || !DATE.test(end) || start > end) {
		throw badRequest('date_period_start and date_period_end must be YYYY-MM-DD dates, start before end');
	}
	const list = (name: string) => (Array.isArray(field(ctx, name)) ? (field(ctx, name) as unknown[]).map(String) : []);
	const report = {
		id: randomBytes(4).readUInt32BE().toString(),
		type: 'usage_report' as const,
		owner,
		attributes: {
			state: 'pending',
			service_agreement_id: Number(found.id),
			date_period_start: start,
			date_period_end: end,
			created_at: new Date(ctx.now()).toISOString(),
			expires_at: null,
			report_type: reportType,
			report_params: { devices: list('devices'), products: list('products'), recipient_list: [ctx.fleet.user.username] },
			download_url: null,
		},
	};
	ctx.fleet.usageReports.push(report);
	const { owner: _owner, ...shown } = report;
	return ok({ data: shown }, 202);
}

function getReport(ctx: RequestContext, who: TokenRecord): Reply {
	requireScope(who, 'service_agreements.usage_reports:get');
	const owner = ownerOf(ctx, who);
	const report = ctx.fleet.usageReports.find((candidate) => candidate.id === ctx.params.report && candidate.owner === owner);
	if (!report) throw notFound('Usage report not found');
	// Reports are ready the next time they are asked for (the real cloud takes minutes and sends an email).
	if (report.attributes.state === 'pending') {
		report.attributes.state = 'available';
		report.attributes.download_url = `https://fake-downloads.invalid/usage_reports/${report.id}.csv`;
		report.attributes.expires_at = new Date(ctx.now() + 7 * 86_400_000).toISOString();
	}
	const { owner: _owner, ...shown } = report;
	return ok({ data: shown });
}

function routesFor(base: string): Route[] {
	return [
		authed('GET', `${base}/service_agreements`, (ctx, who) => {
			requireScope(who, 'service_agreements:list');
			const owner = ownerOf(ctx, who);
			return ok({ data: ctx.fleet.serviceAgreements.filter((candidate) => candidate.owner === owner).map(({ owner: _owner, ...shown }) => shown) });
		}),
		authed('POST', `${base}/service_agreements/:agreement/usage_reports`, createReport),
		authed('GET', `${base}/usage_reports/:report`, getReport),
		authed('GET', `${base}/service_agreements/:agreement/notifications`, (ctx, who) => {
			requireScope(who, 'service_agreements.notifications:list');
			return ok({ data: [notificationFor(agreement(ctx, ownerOf(ctx, who)), ctx.now())] });
		}),
	];
}

export const serviceAgreementRoutes: Route[] = [...routesFor('/v1/user'), ...routesFor('/v1/orgs/:org')];

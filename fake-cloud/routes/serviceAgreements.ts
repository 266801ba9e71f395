// Reference: Cloud API > Service Agreements > Get user/org service agreements; Create a user/org usage report; Get a usage report; Get notifications
/**
 * Service agreements of the user (sandbox) or of an organization, their notifications, and usage reports (see
 * usageReports.ts), plus the download link a ready report points at.
 */
import { agreementAttributes, notificationFor, type FakeServiceAgreement, type FakeUsageReport } from '../admin';
import { accessibleOrg, requireUser } from '../access';
import { badRequest, notFound } from '../errors';
import { calendarDay, field, optionalField, toText } from '../fields';
import { ok, type Reply } from '../http';
import { authed, open, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';
import { DOWNLOAD_PREFIX, reportJson, settleReport, usageReportCsv } from '../usageReports';

/** 'user' on the /v1/user routes (user tokens only), else the organization's id. */
function ownerOf(ctx: RequestContext, who: TokenRecord, scope: string): string {
	if (ctx.params.org === undefined) {
		requireUser(who, scope);
		return 'user';
	}
	return accessibleOrg(ctx, who, ctx.params.org, scope).id;
}

function agreement(ctx: RequestContext, owner: string): FakeServiceAgreement {
	const found = ctx.fleet.serviceAgreements.find((candidate) => candidate.id === ctx.params.agreement && candidate.owner === owner);
	if (!found) throw notFound('Service agreement not found');
	return found;
}

/** A real calendar day as `YYYY-MM-DD` (the docs' examples); anything else is a 400 (error text unconfirmed). */
function reportDate(ctx: RequestContext, name: string): string {
	const value = optionalField(ctx, name, toText) ?? '';
	if (calendarDay(value) === undefined) throw badRequest(`${name} must be a YYYY-MM-DD date`);
	return value;
}

/** An optional list of ids: JSON strings or numbers. */
function idList(ctx: RequestContext, name: string): string[] {
	const value = field(ctx, name);
	if (value === undefined) return [];
	if (!Array.isArray(value) || !value.every((id) => typeof id === 'string' || typeof id === 'number')) {
		throw badRequest(`${name} must be a list of ids`);
	}
	return value.map(String);
}

function createReport(ctx: RequestContext, who: TokenRecord): Reply {
	const owner = ownerOf(ctx, who, 'service_agreements.usage_reports:create');
	const found = agreement(ctx, owner);
	const reportType = optionalField(ctx, 'report_type', toText);
	if (reportType !== 'devices' && reportType !== 'products') throw badRequest('report_type must be devices or products');
	const start = reportDate(ctx, 'date_period_start');
	const end = reportDate(ctx, 'date_period_end');
	if (start > end) throw badRequest('date_period_start must not be after date_period_end');
	const now = ctx.now();
	const report: FakeUsageReport = {
		// Sequential, so a test run reads the same ids every time.
		id: String(ctx.fleet.usageReports.length + 1),
		type: 'usage_report',
		owner,
		readyAt: now + ctx.fleet.usageReportDelayMs,
		attributes: {
			state: 'pending',
			service_agreement_id: Number(found.id),
			date_period_start: start,
			date_period_end: end,
			created_at: new Date(now).toISOString(),
			expires_at: null,
			report_type: reportType,
			report_params: { devices: idList(ctx, 'devices'), products: idList(ctx, 'products'), recipient_list: [ctx.fleet.user.username] },
			download_url: null,
		},
	};
	ctx.fleet.usageReports.push(report);
	return ok({ data: reportJson(report) }, 202);
}

/** The fake's own origin as the client addressed it, for links back to it. */
const originOf = (ctx: RequestContext) => `http://${ctx.headers.host ?? '127.0.0.1'}`;

function getReport(ctx: RequestContext, who: TokenRecord): Reply {
	const owner = ownerOf(ctx, who, 'service_agreements.usage_reports:get');
	const report = ctx.fleet.usageReports.find((candidate) => candidate.id === ctx.params.report && candidate.owner === owner);
	if (!report) throw notFound('Usage report not found');
	settleReport(report, ctx.now(), originOf(ctx));
	return ok({ data: reportJson(report) });
}

/** Like a pre-signed storage link: no token needed, and nothing until the report is available. */
function download(ctx: RequestContext): Reply {
	const id = /^(\d+)\.csv$/.exec(ctx.params.file)?.[1];
	const report = ctx.fleet.usageReports.find((candidate) => candidate.id === id);
	if (!report || report.attributes.state !== 'available') throw notFound();
	return { status: 200, text: usageReportCsv(ctx.fleet, report), headers: { 'content-type': 'text/csv; charset=utf-8' } };
}

function routesFor(base: string): Route[] {
	return [
		authed('GET', `${base}/service_agreements`, (ctx, who) => {
			const owner = ownerOf(ctx, who, 'service_agreements:list');
			const mine = ctx.fleet.serviceAgreements.filter((candidate) => candidate.owner === owner);
			return ok({ data: mine.map((found) => ({ id: found.id, type: found.type, attributes: agreementAttributes(found, ctx.now()) })) });
		}),
		authed('POST', `${base}/service_agreements/:agreement/usage_reports`, createReport),
		authed('GET', `${base}/usage_reports/:report`, getReport),
		authed('GET', `${base}/service_agreements/:agreement/notifications`, (ctx, who) => {
			const owner = ownerOf(ctx, who, 'service_agreements.notifications:list');
			return ok({ data: [notificationFor(agreement(ctx, owner), ctx.now())] });
		}),
	];
}

export const serviceAgreementRoutes: Route[] = [
	...routesFor('/v1/user'),
	...routesFor('/v1/orgs/:org'),
	open('GET', `${DOWNLOAD_PREFIX}/:file`, download),
];

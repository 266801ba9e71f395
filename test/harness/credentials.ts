/**
 * A credentials helper that behaves like the n8n app's for this package: `authenticate` as code, or generic and resolved
 * through the workflow's expression engine (which, as in n8n 2.41, fails once an activation is over), and `preAuthentication` called when the expirable field is empty or after a 401,
 * with the fresh value persisted (so the next run reuses it, as n8n stores it in its database).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

import { ParticleApi } from '../../credentials/ParticleApi.credentials';

export type CredentialData = ICredentialDataDecryptedObject;

export class TestCredentialsHelper extends ICredentialsHelper {
	/** Stored credential data by credential ID, as n8n's database would hold it. */
	readonly store = new Map<string, CredentialData>();
	/** How often the credential's own preAuthentication ran (a token exchange for the OAuth client mode). */
	preAuthenticationCalls = 0;

	private readonly types: Map<string, ICredentialType>;

	/** `credentialType` replaces the package's Particle API credential, to show what another shape of it would do. */
	constructor(credentialType: ICredentialType = new ParticleApi()) {
		super();
		this.types = new Map([[credentialType.name, credentialType]]);
	}

	private typeOf(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.typeOf(typeName);
		const options = requestOptions as IHttpRequestOptions;
		if (!authenticate) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!workflow || !node) throw new Error('authenticate needs the workflow and node');
		for (const [target, entries] of Object.entries(authenticate.properties)) {
			const bag = ((options as unknown as Record<string, Record<string, unknown>>)[target] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				bag[key] = this.resolve(String(value), credentials, workflow, node);
			}
		}
		return options;
	}

	private resolve(value: string, credentials: CredentialData, workflow: Workflow, node: INode): string {
		if (!value.startsWith('=')) return value;
		const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', {
			$credentials: credentials,
		});
		return resolved === undefined || resolved === null ? '' : String(resolved);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.typeOf(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.preAuthenticationCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		if (details?.id) {
			this.store.set(details.id, { ...(this.store.get(details.id) ?? {}), ...output } as CredentialData);
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
	): Promise<ICredentialDataDecryptedObject> {
		const data = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (!data) throw new Error(`No credential stored with ID ${String(nodeCredentials.id)}`);
		// A copy, like a fresh decrypt: what a request changes in memory is not stored unless persisted.
		return { ...data };
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		if (nodeCredentials.id) this.store.set(nodeCredentials.id, { ...data });
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.typeOf(type).properties;
	}
}

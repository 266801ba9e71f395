/**
 * A request carrying this header is signed by the credential with the product OAuth client's ID and secret (HTTP
 * Basic) instead of a bearer token; the header itself never leaves n8n. Particle wants the client itself, and no
 * token, for exactly two endpoints: creating a customer and minting a customer token. Its own module because n8n
 * wants a credential file to export its class and nothing else.
 */
export const SIGN_WITH_PRODUCT_CLIENT_HEADER = 'x-n8n-particle-sign-with';
export const SIGN_WITH_PRODUCT_CLIENT = 'product-client';

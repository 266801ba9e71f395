import { organizationList } from './lists';

// "List products", its organization form (`GET /v1/orgs/:org/products`).
export const { description, execute } = organizationList('getProducts', 'products', 'product list');

import { organizationList } from './lists';

// "List team members", its organization form. People have a role; API users are marked is_programmatic.
export const { description, execute } = organizationList('getTeamMembers', 'team', 'team list');

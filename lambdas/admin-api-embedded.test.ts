import { describeAdminApiContract } from './admin-api.contract.ts';

describeAdminApiContract('embedded');

import { describeCommunityApiContract } from './community-api.contract.ts';

describeCommunityApiContract('embedded');

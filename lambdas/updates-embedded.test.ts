import { describeUpdatesContract } from './updates.contract.ts';

describeUpdatesContract('embedded');

import { describeUpdatesContract } from './updates.contract.ts';

describeUpdatesContract('real');

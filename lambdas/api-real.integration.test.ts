import { describeApiContract } from './api.contract.ts';

describeApiContract('real');

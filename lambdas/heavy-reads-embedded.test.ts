import { describeHeavyReads } from './heavy-reads.contract.ts';

describeHeavyReads('embedded');

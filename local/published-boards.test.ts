import { describePublishedBoards } from './published-boards.contract.ts';

describePublishedBoards('embedded');

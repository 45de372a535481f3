import path from 'node:path';
import { FileTemplateRecords } from './template-records.ts';
import { describeTemplateRecordsContract } from './template-records.contract.ts';
import { tempDir } from '../../test-support/test-services.ts';

describeTemplateRecordsContract('file', async () => new FileTemplateRecords(path.join(tempDir('tpl'), 'templates')));

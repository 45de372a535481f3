// `npm run openapi`: prints the HTTP API's OpenAPI 3.1 document for the current settings.
import { processConfig } from '../core/process-config.ts';
import { openApiDocument } from '../lambdas/openapi.ts';

process.stdout.write(`${JSON.stringify(openApiDocument(await processConfig()), null, 2)}\n`);

// The CDK app: `npm run synth` (offline: no lookups, no Docker, no credentials). Settings come
// from cdk.json's context and -c key=value; see docs/DEPLOY.md.
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from './settings.ts';
import { buildApp } from './build-app.ts';

const app = new App();
const settings = readSettings((key) => app.node.tryGetContext(key));
const webDir = path.resolve(String(app.node.tryGetContext('webDir') ?? 'dist/web'));
buildApp(app, settings, webDir);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();

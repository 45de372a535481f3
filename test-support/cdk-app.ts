// The CDK app synthesised offline for template tests, with a small view of its templates.
import { rmSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../infra/build-app.ts';
import { DEFAULTS, readSettings, type Settings } from '../infra/settings.ts';
import { writeWeb } from '../local/web-build.ts';
import { tempDir } from './test-services.ts';
import type { PlaceStack } from '../infra/place-stack.ts';
import type { EdgeStack } from '../infra/edge-protection.ts';

export type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string };
export type Resources = Record<string, Resource>;

export interface SynthesisedApp {
  settings: Settings;
  place: PlaceStack;
  edge: EdgeStack;
  t: Template;
  resources: Resources;
  edgeResources: Resources;
  ofType(type: string, from?: Resources): [string, Resource][];
}

/** Settings of a production-like deploy: a custom domain in a Route 53 zone. */
export const WITH_DOMAIN: Record<string, string> = { domainName: 'place.example.com', hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' };

export async function synthApp(context: Record<string, string> = {}): Promise<SynthesisedApp> {
  const webDir = tempDir('web');
  const outdir = tempDir('cdk');
  try {
    await writeWeb(webDir);
    const settings = Object.keys(context).length ? readSettings((k) => context[k]) : DEFAULTS;
    // Bundling is skipped here (it is what `npm run synth` does); the templates are the same.
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const { place, edge } = buildApp(app, settings, webDir);
    const t = Template.fromStack(place);
    const resources = t.toJSON().Resources as Resources;
    const edgeResources = Template.fromStack(edge).toJSON().Resources as Resources;
    return {
      settings, place, edge, t, resources, edgeResources,
      ofType: (type, from = resources) => Object.entries(from).filter(([, r]) => r.Type === type),
    };
  } finally {
    // The templates are in memory now; the copied assets (about 25 MB a synth) would pile up in the temp folder.
    for (const dir of [webDir, outdir]) rmSync(dir, { recursive: true, force: true });
  }
}

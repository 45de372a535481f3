// The two stacks: the WAF web ACL in us-east-1 (CloudFront requires it there) and the service
// in the chosen region, linked by a cross-region reference.
import type { App } from 'aws-cdk-lib';
import { EdgeStack } from './edge-protection.ts';
import { PlaceStack } from './place-stack.ts';
import type { Settings } from './settings.ts';

export function buildApp(app: App, settings: Settings, webDir: string): { edge: EdgeStack; place: PlaceStack } {
  const edge = new EdgeStack(app, `place-${settings.envName}-edge`, settings, {
    env: { account: settings.account, region: 'us-east-1' },
    crossRegionReferences: true,
  });
  const place = new PlaceStack(app, `place-${settings.envName}`, {
    env: { account: settings.account, region: settings.region },
    crossRegionReferences: true,
    settings,
    webDir,
    webAclArn: edge.protection.webAcl.attrArn,
  });
  place.addStackDependency(edge, 'CloudFront needs the web ACL');
  return { edge, place };
}

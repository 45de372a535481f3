// The two stacks: the WAF web ACL and the viewer certificate in us-east-1 (CloudFront requires
// them there) and the service in the chosen region, linked by cross-region references. Every
// Lambda permission must name its caller (SourceArn): checked here, at synth.
import { Annotations, Aspects, type App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
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
    viewerCertificate: edge.viewerCertificate,
  });
  place.addStackDependency(edge, 'CloudFront needs the web ACL');
  Aspects.of(app).add({
    visit(node: IConstruct) {
      if (node instanceof lambda.CfnPermission && !node.sourceArn) Annotations.of(node).addError('AWS::Lambda::Permission without a SourceArn: anyone with the principal could invoke the function');
    },
  });
  return { edge, place };
}

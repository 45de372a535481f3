// AWS WAF for CloudFront (a CLOUDFRONT-scope web ACL lives in us-east-1, hence its own stack):
// per-IP rate limits on placing pixels and creating sessions, and AWS's IP reputation list.
import { Construct } from 'constructs';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Settings } from './settings.ts';

const RATE_BODY = 'rate_limited';

function postTo(path: string): wafv2.CfnWebACL.StatementProperty {
  const match = (fieldToMatch: wafv2.CfnWebACL.FieldToMatchProperty, searchString: string): wafv2.CfnWebACL.StatementProperty => ({
    byteMatchStatement: { fieldToMatch, positionalConstraint: 'EXACTLY', searchString, textTransformations: [{ priority: 0, type: 'NONE' }] },
  });
  return { andStatement: { statements: [match({ uriPath: {} }, path), match({ method: {} }, 'POST')] } };
}

function visibility(name: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: name };
}

export class EdgeProtection extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);
    const rateRule = (name: string, priority: number, path: string, limit: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: RATE_BODY } } },
      statement: { rateBasedStatement: { limit, evaluationWindowSec: 300, aggregateKeyType: 'IP', scopeDownStatement: postTo(path) } },
      visibilityConfig: visibility(name),
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `place-${settings.envName}-edge`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`place-${settings.envName}-edge`),
      customResponseBodies: {
        [RATE_BODY]: { contentType: 'APPLICATION_JSON', content: JSON.stringify({ error: 'rate_limited', message: 'Too many requests from your address. Slow down a little.' }) },
      },
      rules: [
        rateRule('pixel-writes-per-ip', 1, '/api/pixels', settings.wafPixelLimit),
        rateRule('sessions-per-ip', 2, '/api/session', settings.wafSessionLimit),
        {
          name: 'aws-ip-reputation',
          priority: 10,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
          visibilityConfig: visibility('aws-ip-reputation'),
        },
      ],
    });
  }
}

export class EdgeStack extends Stack {
  readonly protection: EdgeProtection;

  constructor(scope: Construct, id: string, settings: Settings, props: StackProps) {
    super(scope, id, props);
    this.protection = new EdgeProtection(this, 'Protection', settings);
  }
}

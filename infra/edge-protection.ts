// What CloudFront requires in us-east-1, hence its own stack: the AWS WAF web ACL (CLOUDFRONT
// scope: per-IP rate limits on placing pixels and creating sessions, and AWS managed rule groups)
// and, with a custom domain, the viewer certificate.
import { Construct } from 'constructs';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
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
        ...MANAGED_RULE_GROUPS.map(({ name, countOnly }, i) => managedGroup(name, 10 + i, countOnly)),
      ],
    });
  }
}

/**
 * AWS managed rule groups, in evaluation order (about 1,000 WCU with the rate rules, under the
 * 1,500 a web ACL includes), each with why it fits. Reviewed against our traffic: request bodies
 * are a few dozen bytes of JSON (POST /api/pixels, POST /api/session), query strings are short
 * (?since=<seq>, ?token=<~100 chars> on /ws), the cookie is one token, and browsers and the canary
 * send a User-Agent; the WebSocket upgrade is a plain GET. So nothing in the common rule set needs
 * overriding (its 8 KB body, 2 KB query, 10 KB cookie and no-User-Agent rules cannot hit a player).
 */
export const MANAGED_RULE_GROUPS: readonly { name: string; countOnly: boolean; why: string }[] = [
  { name: 'AWSManagedRulesAmazonIpReputationList', countOnly: false, why: 'Addresses AWS threat intelligence saw in bots and reconnaissance: the cheapest rule, and they would only script placements.' },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', countOnly: false, why: 'Exploit payloads (Log4j, Java deserialisation, Host: localhost): never part of a placement, near-zero false positives.' },
  { name: 'AWSManagedRulesCommonRuleSet', countOnly: false, why: 'OWASP-style baseline (oversize bodies and queries, path traversal, XSS, SSRF); none of its rules matches our requests (see above).' },
  { name: 'AWSManagedRulesAnonymousIpList', countOnly: true, why: 'VPNs, Tor and hosting providers: many real players use a VPN, so count only (labels and metrics to decide later), never block.' },
];

function managedGroup(name: string, priority: number, countOnly: boolean): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    // none: the group's own actions; count: every match only counted (and labelled).
    overrideAction: countOnly ? { count: {} } : { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(name),
  };
}

export class EdgeStack extends Stack {
  readonly protection: EdgeProtection;
  /** The certificate CloudFront shows viewers (it must be in us-east-1); null without a custom domain. */
  readonly viewerCertificate: acm.Certificate | null = null;

  constructor(scope: Construct, id: string, settings: Settings, props: StackProps) {
    super(scope, id, props);
    this.protection = new EdgeProtection(this, 'Protection', settings);
    if (settings.domainName && settings.hostedZoneId && settings.zoneName) {
      // By attributes, not a lookup: synth stays offline.
      const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', { hostedZoneId: settings.hostedZoneId, zoneName: settings.zoneName });
      this.viewerCertificate = new acm.Certificate(this, 'ViewerCertificate', {
        domainName: settings.domainName,
        validation: acm.CertificateValidation.fromDns(zone),
      });
    }
  }
}

// The VPC: public subnets for the NAT, private subnets for the (internal) ALB, Lambdas, ElastiCache and
// ECS. Interface endpoints reach Keyspaces and Secrets Manager without the NAT, and a gateway
// endpoint S3 (snapshots, image layers).
import { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Settings } from './settings.ts';
import { WRITER_PORT } from './writer-service.ts';

export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly lambdaSg: ec2.SecurityGroup;
  readonly socketSg: ec2.SecurityGroup;
  readonly writerSg: ec2.SecurityGroup;
  readonly restoreSg: ec2.SecurityGroup;
  readonly exportSg: ec2.SecurityGroup;
  readonly redisSg: ec2.SecurityGroup;
  readonly endpointSg: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2, // the stack names its AZs (PlaceStack.availabilityZones): no lookup
      natGateways: settings.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      flowLogs: {
        all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'FlowLogs', { retention: settings.logRetentionDays })) },
      },
    });
    this.lambdaSg = new ec2.SecurityGroup(this, 'LambdaSg', { vpc: this.vpc, description: 'HTTP Lambda functions' });
    this.socketSg = new ec2.SecurityGroup(this, 'SocketSg', { vpc: this.vpc, description: 'Socket-server tasks' });
    // A group of their own: the writers are the only app tasks that listen for other tasks.
    this.writerSg = new ec2.SecurityGroup(this, 'WriterSg', { vpc: this.vpc, description: 'Writer tasks (POST /api/pixels, placements over a socket)' });
    this.restoreSg = new ec2.SecurityGroup(this, 'RestoreSg', { vpc: this.vpc, description: 'Restore task (bin/rebuild.ts on Fargate)' });
    this.exportSg = new ec2.SecurityGroup(this, 'ExportSg', { vpc: this.vpc, description: 'Export task (bin/export.ts on Fargate): Keyspaces, Secrets Manager, S3; not Redis' });
    this.redisSg = new ec2.SecurityGroup(this, 'RedisSg', { vpc: this.vpc, description: 'ElastiCache: only the app (functions, socket servers, writers, restore)', allowAllOutbound: false });
    this.endpointSg = new ec2.SecurityGroup(this, 'EndpointSg', { vpc: this.vpc, description: 'Interface endpoints', allowAllOutbound: false });
    for (const client of [this.lambdaSg, this.socketSg, this.writerSg, this.restoreSg]) {
      this.redisSg.addIngressRule(client, ec2.Port.tcp(6379), 'Redis from the app');
      this.endpointSg.addIngressRule(client, ec2.Port.tcp(443), 'AWS APIs from the app');
      this.endpointSg.addIngressRule(client, ec2.Port.tcp(9142), 'Keyspaces from the app');
    }
    // The socket servers send their clients' placements to the writer tasks (the ALB's rule is the load balancer's).
    this.writerSg.addIngressRule(this.socketSg, ec2.Port.tcp(WRITER_PORT), 'Writers from the socket servers (placements over a socket)');
    // The export reads only the journal (Keyspaces) and the session secret, and writes to S3 (the gateway endpoint).
    this.endpointSg.addIngressRule(this.exportSg, ec2.Port.tcp(443), 'Secrets Manager from the export task');
    this.endpointSg.addIngressRule(this.exportSg, ec2.Port.tcp(9142), 'Keyspaces from the export task');
    const subnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const endpoints: [string, ec2.InterfaceVpcEndpointAwsService][] = [
      ['Keyspaces', new ec2.InterfaceVpcEndpointAwsService('cassandra')],
      ['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
    ];
    for (const [name, service] of endpoints) {
      // open: false — only the app's groups (above), not the whole VPC CIDR, reach the endpoints.
      this.vpc.addInterfaceEndpoint(name, { service, subnets, securityGroups: [this.endpointSg], privateDnsEnabled: true, open: false });
    }
    // Free, and keeps snapshot reads and writes (and ECR's image layers) off the NAT.
    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [subnets] });
  }
}

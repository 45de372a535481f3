// The Keyspaces keyspace and tables, made from the same table definitions the migration
// command uses (core/pixel-log/cassandra-schema.ts), so AWS and local schemas cannot drift.
import { Construct } from 'constructs';
import * as cassandra from 'aws-cdk-lib/aws-cassandra';
import { RemovalPolicy } from 'aws-cdk-lib';
import { TABLES } from '../core/pixel-log/cassandra-schema.ts';

export class KeyspacesTables extends Construct {
  readonly keyspaceName: string;
  readonly tables: cassandra.CfnTable[] = [];

  constructor(scope: Construct, id: string, keyspaceName: string) {
    super(scope, id);
    this.keyspaceName = keyspaceName;
    const keyspace = new cassandra.CfnKeyspace(this, 'Keyspace', { keyspaceName });
    keyspace.applyRemovalPolicy(RemovalPolicy.RETAIN);
    for (const def of TABLES) {
      const keyNames = new Set([...def.partitionKey, ...def.clustering.map((c) => c.name)]);
      const column = (name: string) => {
        const c = def.columns.find((col) => col.name === name)!;
        return { columnName: c.name, columnType: c.type };
      };
      const table = new cassandra.CfnTable(this, `Table-${def.name}`, {
        keyspaceName,
        tableName: def.name,
        partitionKeyColumns: def.partitionKey.map(column),
        clusteringKeyColumns: def.clustering.map((c) => ({ column: column(c.name), orderBy: c.order })),
        regularColumns: def.columns.filter((c) => !keyNames.has(c.name)).map((c) => column(c.name)),
        billingMode: { mode: 'ON_DEMAND' },
        pointInTimeRecoveryEnabled: true,
        // Writes carry USING TIMESTAMP <version> so a pixel keeps its highest seq.
        clientSideTimestampsEnabled: true,
      });
      table.addResourceDependency(keyspace, 'a table needs its keyspace');
      table.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.tables.push(table);
    }
  }
}

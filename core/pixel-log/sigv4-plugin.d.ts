declare module 'aws-sigv4-auth-cassandra-plugin' {
  export class SigV4AuthProvider {
    constructor(options: { region: string | null; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string });
  }
}

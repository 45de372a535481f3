declare module 'aws-sigv4-auth-cassandra-plugin' {
  class SigV4AuthProvider {
    constructor(options: { region: string | null; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string });
  }
  const plugin: { SigV4AuthProvider: typeof SigV4AuthProvider };
  export default plugin;
}

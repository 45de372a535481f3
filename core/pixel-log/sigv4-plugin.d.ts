declare module 'aws-sigv4-auth-cassandra-plugin' {
  const plugin: {
    SigV4AuthProvider: new (options: { region: string | null; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string }) => object;
  };
  export default plugin;
}

// The few parts of the two database drivers the store uses, typed here because the project installs neither
// @types/pg nor @types/better-sqlite3 (neither package ships its own types). Rows come back untyped (unknown):
// the query layer (db.ts) names their shape per query. Adding @types/pg and @types/better-sqlite3 later makes
// this file redundant: delete it then.

declare module 'better-sqlite3' {
  namespace Database {
    interface RunResult { changes: number; lastInsertRowid: number | bigint }
    interface Statement {
      get(params: readonly unknown[]): unknown;
      all(params: readonly unknown[]): unknown[];
      run(params: readonly unknown[]): RunResult;
    }
  }
  class Database {
    constructor(filename: string);
    readonly inTransaction: boolean;
    pragma(source: string): unknown;
    prepare(source: string): Database.Statement;
    exec(source: string): this;
    close(): this;
  }
  export default Database;
}

declare module 'pg' {
  interface QueryResult { rows: unknown[]; rowCount: number | null }
  interface QueryConfig { text: string; values?: readonly unknown[]; name?: string }
  interface Queryable { query(config: string | QueryConfig): Promise<QueryResult> }
  interface PoolClient extends Queryable { release(err?: Error | boolean): void }
  interface Pool extends Queryable {
    connect(): Promise<PoolClient>;
    end(): Promise<void>;
    on(event: 'error', listener: (err: Error) => void): this;
  }
  interface Client extends Queryable {
    connect(): Promise<void>;
    end(): Promise<void>;
  }
  const pg: {
    Pool: new (config: { connectionString: string; max?: number }) => Pool;
    Client: new (config: { connectionString: string }) => Client;
    types: { setTypeParser(oid: number, parse: (value: string) => unknown): void };
  };
  export type { QueryResult, QueryConfig, Queryable, PoolClient, Pool, Client };
  export default pg;
}

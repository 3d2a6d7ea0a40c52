/** Types for dynalite 4 (the package ships none): only what the local stack uses. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    /** How long a new table stays CREATING (default 500 ms). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
  }

  /** An http.Server whose `request` listener speaks the DynamoDB JSON 1.0 protocol. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}

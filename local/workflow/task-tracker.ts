/**
 * Loads the Lambda handlers of workflow tasks and keeps count of the ones
 * running. Task handlers do real I/O (HTTP to the local endpoints), which
 * takes wall time; a manual-clock test must not move virtual time while one
 * is in flight, and `inFlight` is how it knows.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TaskHandler } from '../stepfunctions/index.js';

/** Finds `functions/x/y` as `.ts` (source) or `.js`/`.mjs` (built) and imports its export. */
export async function importHandler(root: string, handler: string): Promise<TaskHandler> {
  const dot = handler.lastIndexOf('.');
  const base = join(root, handler.slice(0, dot));
  const file = ['.ts', '.js', '.mjs'].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) throw new Error(`No module for handler ${handler}`);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fn = mod[handler.slice(dot + 1)];
  if (typeof fn !== 'function') throw new Error(`${handler} does not export a function`);
  return fn as TaskHandler;
}

export class TaskTracker {
  private running = 0;
  private startedCount = 0;
  private readonly modules = new Map<string, Promise<TaskHandler>>();

  constructor(private readonly root: string) {}

  /** Handler invocations under way. */
  get inFlight(): number {
    return this.running;
  }

  /** Handler invocations ever started. */
  get started(): number {
    return this.startedCount;
  }

  /** The handler of `handler` (e.g. `functions/workflow/start-wave.handler`), loaded once, counted while it runs. */
  handlerFor(handler: string): TaskHandler {
    return async (event, context) => {
      this.running++;
      this.startedCount++;
      try {
        let loaded = this.modules.get(handler);
        if (!loaded) {
          loaded = importHandler(this.root, handler);
          this.modules.set(handler, loaded);
        }
        return await (await loaded)(event, context);
      } finally {
        this.running--;
      }
    };
  }
}

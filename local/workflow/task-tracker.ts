/**
 * Loads the Lambda handlers of workflow tasks and keeps count of the ones
 * running. Task handlers do real I/O (HTTP to the local endpoints), which
 * takes wall time; a manual-clock test must not move virtual time while one
 * is in flight, and `inFlight` is how it knows.
 */
import { importHandler } from '../http-api/handler-module.js';
import type { TaskHandler } from '../stepfunctions/index.js';

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
          loaded = importHandler<TaskHandler>(this.root, handler);
          this.modules.set(handler, loaded);
        }
        return await (await loaded)(event, context);
      } finally {
        this.running--;
      }
    };
  }
}

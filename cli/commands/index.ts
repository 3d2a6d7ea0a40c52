/** Every command, in the order `fleetwave --help` lists them. */
import type { Command } from './command.js';
import { dashboardCommand } from './dashboard.js';
import { eventsTailCommand } from './events.js';
import { localCommand } from './local.js';
import { releaseCommands } from './releases.js';
import { templateCommands } from './templates.js';

export const commands: readonly Command[] = [
  ...templateCommands,
  ...releaseCommands,
  dashboardCommand,
  eventsTailCommand,
  localCommand,
];

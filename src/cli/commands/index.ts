/** Every command, in the order `loadspec --help` lists them. */
import type { Command } from '../command.js';
import { planCommand } from './plan.js';

export const ALL_COMMANDS: readonly Command[] = [planCommand];

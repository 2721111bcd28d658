/** Every command, in the order `loadspec --help` lists them. */
import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { initCommand } from './init.js';
import { planCommand } from './plan.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';

export const ALL_COMMANDS: readonly Command[] = [runCommand, validateCommand, planCommand, initCommand, reportCommand, demoCommand];

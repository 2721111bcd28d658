#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm install` through the prepare script).
import { main, reportError } from '../dist/cli/main.js';

// A failure outside main's own try (a timer, a stream callback: a full disk under the
// results writer) would otherwise end node with exit 1, which reads as "a threshold
// failed". Report it the way main reports errors and exit with its code (3).
const crash = (error) => {
  process.exitCode = reportError(error, { stderr: process.stderr });
  process.exit();
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

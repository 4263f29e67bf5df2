#!/usr/bin/env node
// A committed shim so the bin exists as soon as npm links it; the compiled CLI lives in dist/.
import { main } from '../dist/cli.js';

main(process.argv.slice(2));

#!/usr/bin/env node
// Launcher kept in git so npm can link the bin before the package is built.
import { main } from '../lib/cli.js';

process.exitCode = await main(process.argv.slice(2));

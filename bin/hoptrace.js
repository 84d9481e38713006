#!/usr/bin/env node
import { main } from "../dist/hoptrace.mjs";

process.exitCode = await main(process.argv.slice(2));

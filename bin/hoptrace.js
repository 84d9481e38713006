#!/usr/bin/env node
import { main } from "../dist/hoptrace.mjs";

// A reader that stops early (`hoptrace run ... | head`) closes the pipe; end quietly, as a
// program killed by SIGPIPE does, instead of printing the write error's stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(0);
  });
}

process.exitCode = await main(process.argv.slice(2));

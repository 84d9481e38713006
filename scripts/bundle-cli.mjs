// Bundles the CLI into one file: loading one module instead of about a hundred halves the start
// time of `hoptrace` (measured by `npm run bench:story`). The library keeps its separate modules.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/cli/main.js"],
  outfile: "dist/hoptrace.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  // commander is CommonJS and requires Node built-ins, which an ES module bundle must provide.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});

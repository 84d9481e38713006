/// <reference types="node" />
/**
 * Builds the shell line that runs the `hoptrace` CLI from source, for tests that run it inside a
 * kernel sandbox (where `dist/` may not be built).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const mainPath = resolve(fileURLToPath(import.meta.url), "../../../src/cli/main.ts");

/**
 * Returns a shell line that runs `hoptrace ARGS` through tsx and exits with its status. `args`
 * is pasted into the line as it is, so the caller quotes it.
 */
export function cliLine(args: string): string {
  // `node -e CODE A B` sets process.argv to [node, A, B].
  const code = `import(${JSON.stringify(mainPath)}).then(async (m) => process.exit(await m.main(process.argv.slice(1))))`;
  return `node --import tsx -e '${code}' ${args}`;
}

// Builds the library (tsc -> dist/) and bundles the CLI into one self-contained file, dist/cli.cjs,
// which synthesized stacks ship as an asset and run with no node_modules.
// `--if-stale` skips the work when dist/ is newer than every source file (used by `npm test`).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outputs = [join(root, "dist/index.js"), join(root, "dist/cli.cjs")];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Every input of the build: the library's sources, the build scripts, package and compiler settings. */
function newestInput() {
  return Math.max(
    newestMtime(join(root, "lib")),
    newestMtime(join(root, "scripts")),
    ...["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"].map(
      (file) => statSync(join(root, file)).mtimeMs,
    ),
  );
}

function isStale() {
  if (!outputs.every((file) => existsSync(file))) return true;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return newestInput() > built;
}

if (process.argv.includes("--if-stale") && !isStale()) process.exit(0);

const tsc = spawnSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** How the CLI is bundled: one self-contained CommonJS file for Node.js 20, minified. */
const BUNDLE = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
};

await build({
  ...BUNDLE,
  entryPoints: [join(root, "lib/cli/main.ts")],
  outfile: join(root, "dist/cli.cjs"),
  banner: { js: "#!/usr/bin/env node" },
});
chmodSync(join(root, "dist/cli.cjs"), 0o755);

// Makes a fresh clone ready for `npm test` and `npm run demo`: installs the locked dependencies
// with `npm ci` when node_modules is missing, then builds dist/ if it is stale. It runs before
// anything is installed, so it uses Node.js built-ins only (build.mjs imports esbuild).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs a command in the repository with the output shown; exits with its status if it fails. */
function run(command, args, what) {
  // Windows runs npm as npm.cmd, which only a shell starts.
  const shell = process.platform === "win32" && command === "npm";
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", shell });
  if (result.status !== 0) {
    const reason = result.error ? result.error.message : `exit code ${result.status}`;
    console.error(`bootstrap: ${what} failed (${reason}); see above`);
    process.exit(result.status || 1);
  }
}

// npm writes node_modules/.package-lock.json once an install completes, so an interrupted
// install is installed again.
if (!existsSync(join(root, "node_modules", ".package-lock.json"))) {
  console.log("bootstrap: node_modules is missing, installing the locked dependencies (npm ci)");
  // npm_execpath is npm's own script when npm runs this; otherwise npm is looked up on PATH.
  const npm = process.env.npm_execpath;
  if (npm && /\.[cm]?js$/.test(npm)) run(process.execPath, [npm, "ci"], "npm ci");
  else run("npm", ["ci"], "npm ci");
}
run(process.execPath, [join(root, "scripts", "build.mjs"), "--if-stale"], "the build");

// Makes the CDK Terrain workspace the cdktn tests run in (test/cdktn/package.json: cdktn,
// cdktn-cli, constructs, and Node.js 22 for cdktn-cli), installed from the npm registry with
// `npm ci` once per machine: it lives in the user's cache directory under a name derived from the
// locked dependencies, so a fresh clone (CI) reuses it and a change of versions installs anew.
// Prints the workspace as one JSON line: { dir, node, cdktn }. Node.js built-ins only.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = join(root, "test", "cdktn");
const FILES = ["package.json", "package-lock.json"];

const digest = createHash("sha256");
for (const file of FILES) digest.update(readFileSync(join(source, file)));
const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "cdktf-polytomic");
const dir = join(cache, `cdktn-${digest.digest("hex").slice(0, 16)}`);

/** npm writes node_modules/.package-lock.json once an install completes. */
const installed = (at) => existsSync(join(at, "node_modules", ".package-lock.json"));

if (!installed(dir)) {
  // Installed beside and renamed into place, so an interrupted or concurrent install never
  // leaves a half-installed workspace under the final name.
  const staging = `${dir}.installing-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const file of FILES) cpSync(join(source, file), join(staging, file));
  console.error(`cdktn-workspace: installing ${source} into ${dir} (npm ci, once per machine)`);
  const npm = process.env.npm_execpath;
  const [command, args] = npm && /\.[cm]?js$/.test(npm) ? [process.execPath, [npm]] : ["npm", []];
  const result = spawnSync(command, [...args, "ci", "--no-audit", "--no-fund"], {
    cwd: staging,
    stdio: ["ignore", 2, 2],
    shell: process.platform === "win32" && command === "npm",
  });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    console.error(
      `cdktn-workspace: npm ci failed (${result.error?.message ?? `exit code ${result.status}`}); see above`,
    );
    process.exit(1);
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another install finished first: use it.
    rmSync(staging, { recursive: true, force: true });
    if (!installed(dir)) throw error;
  }
}

/** cdktn-cli needs Node.js 22.19 or newer: this one if it is, else the workspace's. */
function nodeFor(cli) {
  const wanted = JSON.parse(readFileSync(join(dir, "node_modules", cli, "package.json"), "utf8"))
    .engines.node;
  const [major, minor] = process.versions.node.split(".").map(Number);
  const [, needMajor, needMinor] = /^>=(\d+)\.(\d+)/.exec(wanted).map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return process.execPath;
  const bundled = join(
    dir,
    "node_modules",
    `node-${process.platform}-${process.arch}`,
    "bin",
    "node",
  );
  if (existsSync(bundled)) return bundled;
  console.error(
    `cdktn-workspace: ${cli} needs Node.js ${wanted}, this is ${process.versions.node}, and test/cdktn/package.json installs Node.js 22 only for linux-x64: run the tests with Node.js ${wanted}.`,
  );
  process.exit(1);
}

console.log(
  JSON.stringify({
    dir,
    node: nodeFor("cdktn-cli"),
    cdktn: join(dir, "node_modules", "cdktn-cli", "bin", "cdktn"),
  }),
);

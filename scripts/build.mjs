// Builds the library (tsc -> dist/) and bundles the CLI into one self-contained file, dist/cli.cjs,
// which synthesized stacks ship as an asset and run with no node_modules.
// `--if-stale` skips the work when dist/ is newer than every source file (used by `npm test`).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";
import { brotliCompressSync } from "node:zlib";
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

// The provisioning steps and the emulator are each bundled on their own and embedded in dist/cli.cjs
// as a compressed string, decompressed and compiled only when main.ts imports them. The file stays
// self-contained, and `--version` (and every provisioner's start) does not parse a megabyte of
// JavaScript it does not run: V8 scans a string literal far faster than it parses code.
const LAZY_MODULES = {
  [join(root, "lib/cli/provision/run.ts")]: "provision",
  [join(root, "lib/emulator/command.ts")]: "emulator",
};

/** Maps the client's `undici` import to the parts it uses (see scripts/undici-slim.cjs). */
const slimUndici = {
  name: "slim-undici",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^undici$/ }, () => ({
      path: join(root, "scripts/undici-slim.cjs"),
    }));
  },
};

/** How every bundle is built: one CommonJS file for Node.js 20, minified. */
const BUNDLE = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
};

async function bundleToString(entry) {
  const result = await build({
    ...BUNDLE,
    entryPoints: [entry],
    write: false,
    plugins: [slimUndici],
  });
  return result.outputFiles[0].text;
}

const WRAPPER_START = "(function (exports, require, module, __filename, __dirname) {";
const WRAPPER_END = "\n})";

/**
 * V8's code cache for the provisioning steps, made by running them once here, so that each
 * provisioner skips most of their compilation (about 9 ms of its start, measured). It is produced
 * under the V8 flags main.ts sets before loading them; a Node.js whose V8 differs rejects the
 * cache and compiles as usual.
 */
function codeCache(wrapped) {
  setFlagsFromString("--liftoff-only");
  const script = new Script(wrapped);
  const inner = { exports: {} };
  script.runInThisContext()(inner.exports, createRequire(import.meta.url), inner, "", "");
  return script.createCachedData();
}

const pack = (buffer) => brotliCompressSync(buffer).toString("base64");

const embedLazyModules = {
  name: "embed-lazy-modules",
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, async (args) => {
      const name = LAZY_MODULES[args.path];
      if (!name) return undefined;
      const wrapped = `${WRAPPER_START}${await bundleToString(args.path)}${WRAPPER_END}`;
      const cache = name === "provision" ? pack(codeCache(wrapped)) : undefined;
      return {
        loader: "js",
        contents: `
          const { brotliDecompressSync } = require("node:zlib");
          const { Script } = require("node:vm");
          const unpack = (text) => brotliDecompressSync(Buffer.from(text, "base64"));
          const script = new Script(unpack(${JSON.stringify(pack(Buffer.from(wrapped, "utf8")))}).toString("utf8"), {
            filename: __filename + "#${name}",
            ${cache ? `cachedData: unpack(${JSON.stringify(cache)}),` : ""}
          });
          const inner = { exports: {} };
          script.runInThisContext()(inner.exports, require, inner, __filename, __dirname);
          module.exports = inner.exports;
        `,
      };
    });
  },
};

await build({
  ...BUNDLE,
  entryPoints: [join(root, "lib/cli/main.ts")],
  outfile: join(root, "dist/cli.cjs"),
  banner: { js: "#!/usr/bin/env node" },
  plugins: [embedLazyModules],
});
chmodSync(join(root, "dist/cli.cjs"), 0o755);

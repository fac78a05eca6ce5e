// Builds the three files that the entry points of package.json load:
// - dist/lib/index.js, the library (`main`): one bundle of lib/ with the one SQL dialect it parses,
//   loading only constructs from the user's tree (and, at run time, the app's own cdktf or cdktn);
// - dist/lib/index.d.ts, its types (`types`): one file holding exactly what lib/index.ts exports;
// - dist/cli.cjs, the CLI (`bin`), self-contained: synthesized stacks ship it as an asset and run it
//   with no node_modules.
// and dist/THIRD-PARTY-LICENSES.txt, the licenses of the packages bundled into them.
// `--if-stale` skips the work when dist/ is newer than every source file (used by `npm test`).
import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const LIBRARY = join(root, "dist/lib/index.js");
const TYPES = join(root, "dist/lib/index.d.ts");
const CLI = join(root, "dist/cli.cjs");
const LICENSES = join(root, "dist/THIRD-PARTY-LICENSES.txt");
const outputs = [LIBRARY, TYPES, CLI, LICENSES];

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

// Nothing from an earlier build (or an earlier layout) may end up in the package.
rmSync(join(root, "dist"), { recursive: true, force: true });

/** The metafiles of every bundle, for the licenses of what they contain. */
const metafiles = [];

/** How the CLI is bundled: one self-contained CommonJS file for Node.js 20, minified. */
const BUNDLE = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  // Metafile paths are relative to this; the licenses are found from them.
  absWorkingDir: root,
};

const cli = await build({
  ...BUNDLE,
  entryPoints: [join(root, "lib/cli/main.ts")],
  outfile: CLI,
  metafile: true,
  banner: { js: "#!/usr/bin/env node" },
});
metafiles.push({ output: "dist/cli.cjs", metafile: cli.metafile });
chmodSync(CLI, 0o755);

// The library loads from the user's tree only what it shares with the user's app (constructs, and
// the app's framework, found at run time by lib/constructs/framework.ts: one copy each, or
// instanceof and construct trees break); the rest is bundled, node-sql-parser's Snowflake grammar above all (its package is about 90 MB of
// every dialect). Not minified: a user stepping through synth reads our code. dist/lib/ is one
// level below dist/cli.cjs, where lib/constructs/cli-bundle.ts looks for the CLI.
const library = await build({
  ...BUNDLE,
  minify: false,
  entryPoints: [join(root, "lib/index.ts")],
  outfile: LIBRARY,
  metafile: true,
  external: Object.keys({ ...pkg.peerDependencies, ...pkg.dependencies }),
});
metafiles.push({ output: "dist/lib/index.js", metafile: library.metafile });

// One declaration file holding what lib/index.ts exports, and the types those refer to unexported.
const { generateDtsBundle } = require("dts-bundle-generator");
const [types] = generateDtsBundle(
  [
    {
      filePath: join(root, "lib/index.ts"),
      output: { noBanner: true, exportReferencedTypes: false },
    },
  ],
  { preferredConfigPath: join(root, "tsconfig.build.json") },
);
writeFileSync(TYPES, types);

/** The package directory (under node_modules) an input of a bundle belongs to, if any. */
function packageDirOf(input) {
  const parts = input.split(/[\\/]/);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const length = parts[at + 1].startsWith("@") ? 3 : 2;
  return join(root, ...parts.slice(0, at + length));
}

/** The licenses of the packages bundled into dist/, which their licenses ask to travel with them. */
function thirdPartyLicenses() {
  const bundledInto = new Map();
  for (const { output, metafile } of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      const dir = packageDirOf(input);
      if (dir) bundledInto.set(dir, new Set([...(bundledInto.get(dir) ?? []), output]));
    }
  }
  const sections = [...bundledInto].map(([dir, into]) => {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir).find((entry) => /^licen[cs]e/i.test(entry));
    if (!file) throw new Error(`build: ${name} has no license file to ship with its bundled code`);
    const text = readFileSync(join(dir, file), "utf8").trim();
    return `${name} ${version} (${license}), bundled into ${[...into].join(" and ")}\n\n${text}\n`;
  });
  return [
    "The files in dist/ bundle code from the following packages, under the licenses below.\n",
    ...sections.sort(),
  ].join(`\n${"-".repeat(78)}\n\n`);
}
writeFileSync(LICENSES, thirdPartyLicenses());

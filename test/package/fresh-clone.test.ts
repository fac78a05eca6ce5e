/**
 * Two commands on a fresh clone: `npm test` and `npm run demo` both start with
 * scripts/bootstrap.mjs, which installs the locked dependencies (`npm ci`) when node_modules is
 * missing and then builds dist/. Checked on a copy of the repository's tracked files (what
 * `git clone` gives), with an `npm` on PATH that records what it is asked and installs by linking
 * this checkout's node_modules, so the test needs no registry.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const README = readFileSync(join(ROOT, "README.md"), "utf8");

let clone: string;
let bin: string;
let calls: string;

beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), "polytomic-clone-"));
  clone = join(base, "repo");
  bin = join(base, "bin");
  calls = join(base, "npm-calls.txt");
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((file) => file !== "" && existsSync(join(ROOT, file)));
  for (const file of tracked) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(clone, file));
  }
  mkdirSync(bin);
  // `npm ci` here links the checkout's installed tree, which holds node_modules/.package-lock.json.
  writeFileSync(
    join(bin, "npm"),
    `#!/bin/sh\necho "$*" >> ${JSON.stringify(calls)}\n[ "$1" = ci ] && ln -s ${JSON.stringify(join(ROOT, "node_modules"))} node_modules\nexit 0\n`,
  );
  chmodSync(join(bin, "npm"), 0o755);
});

afterAll(() => rmSync(dirname(clone), { recursive: true, force: true }));

function bootstrap() {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  delete env.npm_execpath;
  return spawnSync(process.execPath, [join(clone, "scripts", "bootstrap.mjs")], {
    cwd: clone,
    env,
    encoding: "utf8",
  });
}

test("npm test and npm run demo bootstrap first, and the README's quick start is those two commands", () => {
  expect(pkg.scripts.pretest).toBe("node scripts/bootstrap.mjs");
  expect(readFileSync(join(ROOT, "scripts", "demo.mjs"), "utf8")).toContain(
    'join(root, "scripts/bootstrap.mjs")',
  );
  const quickStart = /## The two commands[^\n]*\n+```sh\n([\s\S]*?)```/.exec(README)?.[1];
  expect(quickStart?.split("\n").map((line) => line.split("#")[0].trim())).toEqual([
    "npm run demo",
    "npm test",
    "",
  ]);
});

test("on a fresh clone the bootstrap installs with npm ci, then builds; once done it does neither", () => {
  expect(existsSync(join(clone, "node_modules"))).toBe(false);
  const first = bootstrap();
  expect(first.status).toBe(0);
  expect(first.stdout).toContain("node_modules is missing, installing the locked dependencies");
  expect(readFileSync(calls, "utf8")).toBe("ci\n");
  for (const file of pkg.files) expect(existsSync(join(clone, file))).toBe(true);
  const built = statSync(join(clone, pkg.main)).mtimeMs;

  const second = bootstrap();
  expect(second.status).toBe(0);
  expect(second.stdout).not.toContain("installing");
  expect(readFileSync(calls, "utf8")).toBe("ci\n");
  expect(statSync(join(clone, pkg.main)).mtimeMs).toBe(built);
});

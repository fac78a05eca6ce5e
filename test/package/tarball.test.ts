/**
 * The package as npm publishes it: exactly the files its entry points load (plus LICENSE, README
 * and the bundled code's licenses), well-formed metadata, dependency ranges a user's tree can share,
 * and a library that synthesizes and type-checks when installed from the tarball alone.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const README = readFileSync(join(ROOT, "README.md"), "utf8");

const ENTRY_POINTS = ["dist/lib/index.js", "dist/lib/index.d.ts", "dist/cli.cjs"];

interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

function pack(...args: string[]): PackResult {
  const output = execFileSync("npm", ["pack", "--json", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return (JSON.parse(output) as PackResult[])[0];
}

/** The packages a bundle loads with require(), Node's built-ins aside. */
function requiredPackages(file: string): string[] {
  const source = readFileSync(join(ROOT, file), "utf8");
  // A `require(...)` right after a quote is text of a string (ajv's code generator holds such).
  const specifiers = [...source.matchAll(/(?<![`'"])\brequire\("([^"]+)"\)/g)].map(
    (match) => match[1],
  );
  const packages = specifiers
    .filter((specifier) => !specifier.startsWith("node:") && !builtinModules.includes(specifier))
    .map((specifier) =>
      specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/"),
    );
  return [...new Set(packages)].sort();
}

test("the tarball holds the entry points, LICENSE, README and nothing else", () => {
  const files = pack("--dry-run")
    .files.map((file) => file.path)
    .sort();
  expect(files).toEqual(
    [
      "LICENSE",
      "README.md",
      "package.json",
      "dist/THIRD-PARTY-LICENSES.txt",
      "dist/cli.cjs",
      "dist/lib/index.d.ts",
      "dist/lib/index.js",
    ].sort(),
  );
  // Every file under dist/ but the licenses is an entry point, and every entry point is shipped.
  expect(
    [
      pkg.main,
      pkg.types,
      pkg.exports["."].default,
      pkg.exports["."].types,
      pkg.bin["polytomic-cdktf"],
    ].map((path: string) => path.replace(/^\.\//, "")),
  ).toEqual(expect.arrayContaining(ENTRY_POINTS));
  for (const entry of ENTRY_POINTS) expect(files).toContain(entry);
});

test("LICENSE is the Apache License 2.0 that package.json names", () => {
  expect(pkg.license).toBe("Apache-2.0");
  const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
  expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004\s/);
  expect(license).toContain("END OF TERMS AND CONDITIONS");
});

test("package.json names where the project lives, consistently", () => {
  const home = "https://github.com/cdktf-polytomic/cdktf-polytomic";
  expect(pkg.repository).toEqual({ type: "git", url: `git+${home}.git` });
  expect(pkg.homepage).toBe(`${home}#readme`);
  expect(pkg.bugs).toEqual({ url: `${home}/issues` });
  expect(pkg.keywords).toEqual(expect.arrayContaining(["cdktf", "terraform", "polytomic"]));
});

test("the frameworks are optional peers, and the bundles load nothing but constructs", () => {
  expect(pkg.dependencies).toBeUndefined();
  expect(pkg.peerDependencies).toEqual({
    cdktf: "^0.21.0",
    cdktn: "^0.24.0",
    constructs: "^10.4.2",
  });
  expect(pkg.peerDependenciesMeta).toEqual({
    cdktf: { optional: true },
    cdktn: { optional: true },
  });
  // The library shares constructs with the user's app and reaches the app's own framework at run
  // time (lib/constructs/framework.ts); the rest (the SQL parser above all) is bundled. The CLI
  // runs with no node_modules at all.
  expect(requiredPackages("dist/lib/index.js")).toEqual(["constructs"]);
  expect(requiredPackages("dist/cli.cjs")).toEqual([]);
});

test("the public types name no framework", () => {
  const types = readFileSync(join(ROOT, "dist/lib/index.d.ts"), "utf8");
  const imported = [...types.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
  expect(imported).toEqual(["constructs"]);
  expect(types).not.toMatch(/from ['"](cdktf|cdktn)/);
});

test("the README's install line and Node.js version agree with package.json", () => {
  const node = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
  expect(node).toBeDefined();
  expect(README).toContain(`Node.js ${node} or newer`);
  const installs = [
    ...README.matchAll(/```sh\n(npm install cdktf-polytomic [^\n]+)\n(npm install [^\n]+)/g),
  ];
  expect(installs).toHaveLength(2);
  const [cdktf, cdktn] = installs;
  expect(cdktf[1]).toContain(`cdktf@${pkg.peerDependencies.cdktf}`);
  expect(cdktf[1]).toContain(`constructs@${pkg.peerDependencies.constructs}`);
  expect(cdktf[2]).toContain(`cdktf-cli@${pkg.peerDependencies.cdktf}`);
  expect(cdktn[1]).toContain(`cdktn@${pkg.peerDependencies.cdktn}`);
  // cdktn 0.24 takes constructs >=10.6.0 <10.8.0, inside the package's own range.
  expect(cdktn[1]).toContain("constructs@~10.7.0");
  expect(cdktn[2]).toContain(`cdktn-cli@${pkg.peerDependencies.cdktn}`);
  // The cdktf.json example runs the app with tsx, which works with every TypeScript; ts-node, which
  // `cdktf init` writes, fails with TypeScript 7.
  expect(cdktf[2]).toContain("tsx");
  const config = /```json\n(\{[\s\S]*?\})\n```/.exec(README)?.[1];
  expect(JSON.parse(config ?? "{}").app).toBe("npx tsx main.ts");
});

describe("installed from the tarball alone", () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), "polytomic-pack-"));
    const { filename } = pack("--pack-destination", project);
    const installed = join(project, "node_modules", "cdktf-polytomic");
    mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", join(project, filename), "-C", installed, "--strip-components=1"]);
    // What a user's cdktf project holds besides: the framework and constructs.
    for (const name of ["cdktf", "constructs"])
      symlinkSync(join(ROOT, "node_modules", name), join(project, "node_modules", name), "dir");
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test("a TypeScript app type-checks against the bundled types and synthesizes", () => {
    const app = join(project, "main.ts");
    copyFileSync(join(__dirname, "fixtures", "app.ts"), app);
    execFileSync(
      process.execPath,
      [
        join(ROOT, "node_modules", "typescript", "bin", "tsc"),
        ...["--strict", "--target", "es2022", "--module", "nodenext"],
        ...["--moduleResolution", "nodenext", "--types", "node"],
        ...["--typeRoots", join(ROOT, "node_modules", "@types"), app],
      ],
      { cwd: project, stdio: "pipe" },
    );
    const outdir = join(project, "cdktf.out");
    execFileSync(process.execPath, [join(project, "main.js"), outdir], { cwd: project });

    const assets = join(outdir, "stacks", "packed", "assets");
    const [asset] = readdirSync(assets);
    const [hash] = readdirSync(join(assets, asset));
    const cli = join(assets, asset, hash, "cli.cjs");
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cli, ...args], { cwd: project, encoding: "utf8", env: {} });
    expect(run("--version").stdout.trim()).toContain(pkg.version);
    // Every part runs where only the stack's asset and the user's packages exist.
    expect(run("emulator", "--help")).toMatchObject({ status: 0, stderr: "" });
    const deploy = run("deploy");
    expect(deploy.status).toBe(1);
    expect(deploy.stderr).toMatch(/^cdktf-polytomic deploy failed: /);
    expect(deploy.stderr).not.toMatch(/Cannot find module/);
  });
});

/**
 * CDK Terrain (cdktn) projects for the tests: the workspace scripts/cdktn-workspace.mjs installs
 * from the npm registry once per machine (cdktn, cdktn-cli, constructs, Node.js 22 for cdktn-cli),
 * and projects inside it holding this package as npm would install it from its tarball, so that
 * the app resolves cdktn, the workspace's constructs and no cdktf at all.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Emulator } from "./e2e";
import { Project, ROOT } from "./e2e";

export interface CdktnWorkspace {
  /** The installed workspace: node_modules with cdktn, cdktn-cli and constructs. */
  readonly dir: string;
  /** A Node.js that cdktn-cli accepts. */
  readonly node: string;
  /** cdktn-cli's entry script. */
  readonly cdktn: string;
}

let workspace: CdktnWorkspace | undefined;

/** The workspace, installed on first use (about 30 s with a warm npm cache, then instant). */
export function cdktnWorkspace(): CdktnWorkspace {
  workspace ??= JSON.parse(
    execFileSync(process.execPath, [join(ROOT, "scripts", "cdktn-workspace.mjs")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  ) as CdktnWorkspace;
  return workspace;
}

let packed: string | undefined;

/** This package's files as npm installs them from the tarball `npm pack` makes (dist/ built). */
export function packedPackage(): string {
  if (packed) return packed;
  const dir = mkdtempSync(join(tmpdir(), "polytomic-cdktn-pack-"));
  execFileSync("npm", ["pack", "--pack-destination", dir], { cwd: ROOT, stdio: "ignore" });
  const [tarball] = readdirSync(dir).filter((file) => file.endsWith(".tgz"));
  execFileSync("tar", ["-xzf", join(dir, tarball), "-C", dir]);
  packed = join(dir, "package");
  return packed;
}

/** A directory in the workspace with this package installed, where a cdktn app resolves all. */
export function cdktnAppDir(): string {
  const base = join(cdktnWorkspace().dir, "projects");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "app-"));
  installPackage(dir);
  return dir;
}

function installPackage(dir: string): void {
  cpSync(packedPackage(), join(dir, "node_modules", "cdktf-polytomic"), { recursive: true });
}

/** The end-to-end project of test/support/e2e.ts with the JSON-described app on cdktn. */
export function cdktnProject(emulator: Emulator, env: Record<string, string> = {}): Project {
  const { dir, node, cdktn } = cdktnWorkspace();
  const project = new Project(
    emulator,
    { ...env, POLYTOMIC_E2E_FRAMEWORK: "cdktn" },
    "node app.cjs",
    { base: join(dir, "projects"), cli: [node, cdktn] },
  );
  installPackage(project.dir);
  copyFileSync(join(ROOT, "test", "support", "e2e-app.cjs"), join(project.dir, "app.cjs"));
  return project;
}

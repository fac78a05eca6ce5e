/**
 * CDK Terrain (cdktn 0.24) apps, in a workspace installed from the npm registry with no cdktf in
 * it (test/support/cdktn.ts): the example type-checks and synthesizes the same Terraform JSON as
 * the cdktf example, both engines synthesize alike under both frameworks, mixing the frameworks in
 * a way that cannot work is a one-line error, and `cdktn deploy` converges the emulator.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { STACK_FILE } from "../../lib/core/contract";
import { cdktnAppDir, cdktnProject, cdktnWorkspace, packedPackage } from "../support/cdktn";
import type { Emulator, Project, StackDescription } from "../support/e2e";
import { inventory, requests, ROOT, startEmulator, writes } from "../support/e2e";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const CDKTF = join(ROOT, "node_modules", "cdktf");
const APP = join(ROOT, "test", "support", "e2e-app.cjs");
const made: string[] = [];

beforeAll(() => {
  cdktnWorkspace();
  packedPackage();
});

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A cdktf app directory in the repository (which resolves cdktf) with the packed package. */
function cdktfAppDir(): string {
  mkdirSync(join(ROOT, ".e2e-work"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, ".e2e-work", "cdktf-app-"));
  cpSync(packedPackage(), join(dir, "node_modules", "cdktf-polytomic"), { recursive: true });
  return dir;
}

function appDir(framework: "cdktf" | "cdktn"): string {
  const dir = framework === "cdktn" ? cdktnAppDir() : cdktfAppDir();
  made.push(dir);
  return dir;
}

/** Compiles an app with the flags of a strict user project; fails with tsc's diagnostics. */
function typecheck(dir: string, files: string[]): void {
  const result = spawnSync(
    process.execPath,
    [
      TSC,
      ...["--strict", "--target", "es2022", "--module", "nodenext"],
      ...["--moduleResolution", "nodenext", "--types", "node", "--ignoreConfig"],
      ...["--typeRoots", join(ROOT, "node_modules", "@types")],
      ...files.map((file) => join(dir, file)),
    ],
    { cwd: dir, encoding: "utf8" },
  );
  if (result.status !== 0)
    throw new Error(`tsc failed in ${dir}:\n${result.stdout}${result.stderr}`);
}

/** Runs an app with node in `dir`; its synthesized output goes to `dir`/cdktf.out. */
function runApp(dir: string, script: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [script, CDKTF, join(dir, "cdktf.out")], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: join(dir, "cdktf.out"), ...env },
  });
}

interface Synthesized {
  readonly json: Record<string, unknown>;
  readonly stackFile: string;
  /** The app's directory, which the local backend's state path holds. */
  readonly dir: string;
}

function synthesized(dir: string, stack: string): Synthesized {
  const stackDir = join(dir, "cdktf.out", "stacks", stack);
  return {
    json: JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")),
    stackFile: readFileSync(join(stackDir, STACK_FILE), "utf8"),
    dir,
  };
}

/**
 * The configuration with what may differ between the frameworks set aside: the content hash in
 * the CLI asset's path, and the framework's version in the `//` metadata, returned apart.
 */
function comparable({ json, dir }: Synthesized): { config: string; version: unknown } {
  const { "//": comment, ...config } = json as { "//"?: { metadata?: { version?: unknown } } };
  const text = JSON.stringify(
    { ...config, "//": { ...comment, metadata: { ...comment?.metadata, version: "<version>" } } },
    null,
    1,
  );
  return {
    config: text
      .replaceAll(dir, "<app>")
      .replace(/assets\/([^/"]+)\/[0-9A-F]{32}\//g, "assets/$1/<hash>/"),
    version: comment?.metadata?.version,
  };
}

describe("a cdktn app", () => {
  test("examples/cdktn type-checks with no cdktf installed and synthesizes what the cdktf example does", () => {
    const stack = "snowflake-to-salesforce";
    const cdktn = appDir("cdktn");
    expect(existsSync(join(cdktn, "node_modules", "cdktf"))).toBe(false);
    expect(() => require.resolve("cdktf", { paths: [cdktn] })).toThrow();
    copyFileSync(join(ROOT, "examples", "cdktn", "main.ts"), join(cdktn, "main.ts"));
    typecheck(cdktn, ["main.ts"]);
    expect(runApp(cdktn, "main.js")).toMatchObject({ status: 0, stderr: "" });

    const cdktf = appDir("cdktf");
    for (const file of ["main.ts", "stack.ts"])
      copyFileSync(join(ROOT, "examples", "snowflake-to-salesforce", file), join(cdktf, file));
    typecheck(cdktf, ["main.ts"]);
    expect(runApp(cdktf, "main.js")).toMatchObject({ status: 0, stderr: "" });

    const onCdktn = synthesized(cdktn, stack);
    const onCdktf = synthesized(cdktf, stack);
    expect(comparable(onCdktn).config).toEqual(comparable(onCdktf).config);
    expect(comparable(onCdktn).version).toBe("0.24.0");
    expect(comparable(onCdktf).version).toBe("0.21.0");
    expect(onCdktn.stackFile).toEqual(onCdktf.stackFile);
    expect(Object.keys(onCdktn.json.resource as object)).toEqual(["terraform_data"]);
  });

  test("synthesizes both engines, and Terraform values, as the cdktf app does", () => {
    // The seed stack on each engine, against two APIs so that both may own the same names.
    const nullEngine: StackDescription = {
      ...seedStack("seed-null"),
      settings: { engine: "null_resource", apiUrl: "https://polytomic.internal.example.com" },
    };
    const withValues = seedStack("seed-values");
    withValues.settings = { apiUrl: "https://values.example.com" };
    withValues.connections![0].props.dbname = { var: "database" };
    withValues.connections![0].props.password = { secretVar: "snowflake_password" };
    const description = { stacks: [seedStack("seed"), nullEngine, withValues] };
    const outputs = (["cdktn", "cdktf"] as const).map((framework) => {
      const dir = appDir(framework);
      copyFileSync(APP, join(dir, "app.cjs"));
      writeFileSync(join(dir, "stack.json"), JSON.stringify(description));
      const run = runApp(dir, "app.cjs", {
        POLYTOMIC_E2E_FRAMEWORK: framework,
        POLYTOMIC_E2E_STACK: join(dir, "stack.json"),
      });
      expect(run).toMatchObject({ status: 0, stderr: "" });
      return dir;
    });
    for (const stack of ["seed", "seed-null", "seed-values"]) {
      const [onCdktn, onCdktf] = outputs.map((dir) => synthesized(dir, stack));
      expect(comparable(onCdktn).config).toEqual(comparable(onCdktf).config);
      expect(onCdktn.stackFile).toEqual(onCdktf.stackFile);
    }
    const nullStack = synthesized(outputs[0], "seed-null").json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.keys(nullStack.resource.null_resource).sort()).toEqual([
      "polytomic_deploy",
      "polytomic_generation",
      "polytomic_inventory",
    ]);
    expect(nullStack.terraform.required_providers.null).toEqual({
      source: "null",
      version: "3.2.4",
    });
  });

  test("with a cdktf construct in its stack fails at synth with one line naming it", () => {
    const dir = appDir("cdktn");
    copyFileSync(join(__dirname, "fixtures", "mixed-element.cjs"), join(dir, "app.cjs"));
    const run = runApp(dir, "app.cjs");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Error: cdktf-polytomic: "mixed/Region" is a cdktf 0.21.0 construct in the cdktn 0.24.0 stack "mixed", which cannot synthesize it: create it with the classes of cdktn (import from "cdktn"; for prebuilt providers use their cdktn packages).\n',
    );
    expect(run.stderr).not.toContain("_resetResolveDiscoveredProviderFeatureUsage");
  });
});

describe("cdktn deploy of the seed stack", () => {
  const STACK = "e2e";
  let emulator: Emulator;
  let project: Project;

  beforeAll(async () => {
    emulator = await startEmulator(["--auto-authorize"]);
    project = cdktnProject(emulator, { SNOWFLAKE_PASSWORD });
    made.push(project.dir);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  test("creates every object, then changes nothing, and destroy deletes them", async () => {
    project.write(seedStack(STACK));
    const first = await project.deploy(STACK);
    if (first.status !== 0) throw new Error(`cdktn deploy failed:\n${first.output}`);
    const { connections, models, syncs } = await inventory(emulator);
    expect(connections.map((c) => c.name).sort()).toEqual([
      "Salesforce Connection",
      "Snowflake Connection",
    ]);
    expect(models.map((m) => m.name)).toEqual(["Active Users"]);
    expect(syncs).toHaveLength(1);
    expect(syncs[0]).toMatchObject({
      name: "Snowflake to Salesforce Sync",
      mode: "create",
      target: { object: "Contact" },
    });
    expect(first.output).not.toContain(SNOWFLAKE_PASSWORD);

    const before = writes(await requests(emulator)).length;
    const second = await project.deploy(STACK);
    if (second.status !== 0) throw new Error(`second cdktn deploy failed:\n${second.output}`);
    expect(writes(await requests(emulator)).slice(before)).toEqual([]);

    const destroyed = await project.destroy(STACK);
    if (destroyed.status !== 0) throw new Error(`cdktn destroy failed:\n${destroyed.output}`);
    expect(await inventory(emulator)).toEqual({ connections: [], models: [], syncs: [] });
  });
});

/**
 * `polytomic-cdktf emulator`: argument errors (one line, exit 2), help, and a real run in a child
 * process: URL on the first line, requests served, clean stop on SIGTERM with the data flushed.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { request } from "undici";
import { runEmulatorCommand } from "../../lib/emulator/command";

const ROOT = join(__dirname, "..", "..");
const RUNNER = join(__dirname, "fixtures", "run-emulator-command.ts");

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function runInProcess(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<Captured> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [name, value] of Object.entries(env))
    if (value === undefined) delete process.env[name];
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await runEmulatorCommand(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = saved;
  }
}

describe("arguments", () => {
  test.each([
    [["--port", "http"], '--port: expected an integer from 0 to 65535, received "http"'],
    [["--port=70000"], '--port: expected an integer from 0 to 65535, received "70000"'],
    [["--fail-rate", "1.5"], '--fail-rate: expected a number from 0 to 1, received "1.5"'],
    [["--drop-rate", "lots"], '--drop-rate: expected a number from 0 to 1, received "lots"'],
    [
      ["--rate-limit", "0"],
      '--rate-limit: expected a positive number of requests per second, received "0"',
    ],
    [
      ["--latency", "-5"],
      '--latency: expected a whole number of milliseconds, 0 or more, received "-5"',
    ],
    [["--latency"], "--latency needs a value"],
    [["--colour", "red"], 'unknown argument "--colour"'],
    [["serve"], 'unknown argument "serve"'],
    [
      ["--catalog", "/nonexistent/catalog.json"],
      "--catalog: cannot read catalog file /nonexistent/catalog.json",
    ],
    [["--seed", "/nonexistent/seed.sql"], "--seed: cannot read seed file /nonexistent/seed.sql"],
    [
      ["--execution-delay", "soon"],
      '--execution-delay: expected a whole number of milliseconds, 0 or more, received "soon"',
    ],
    [["--run-schedules=yes"], 'unknown argument "--run-schedules=yes"'],
    [
      ["--snowflake-password", ""],
      "--snowflake-password: expected a password, received an empty value",
    ],
  ])("%j is one clear line on stderr and exit code 2", async (argv, message) => {
    const result = await runInProcess([...argv, "--api-key", "k"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe("");
    expect(lines[0].startsWith(`polytomic-cdktf emulator: ${message}`)).toBe(true);
  });

  test("a malformed catalog file names the problem", async () => {
    const dir = mkdtempSync(join(tmpdir(), "catalog-"));
    try {
      const file = join(dir, "catalog.json");
      writeFileSync(file, JSON.stringify({ tables: { orders: "id" } }));
      const result = await runInProcess(["--catalog", file, "--api-key", "k"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`tables.orders must be a non-empty array of column names`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("without --api-key or POLYTOMIC_API_KEY it refuses to start", async () => {
    const result = await runInProcess([], { POLYTOMIC_API_KEY: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "polytomic-cdktf emulator: no API key: pass --api-key KEY or set POLYTOMIC_API_KEY\n",
    );
  });

  test("a CSV catalog or a seed the warehouse refuses names the file and the line, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "catalog-"));
    try {
      const csv = join(dir, "people.csv");
      writeFileSync(csv, "id,name\n1,Ada\n2,Alan,extra\n");
      const badCsv = await runInProcess(["--catalog", csv, "--api-key", "k"]);
      expect(badCsv.code).toBe(2);
      expect(badCsv.stderr).toBe(
        `polytomic-cdktf emulator: --catalog: ${csv} line 3: 3 fields, but the header names 2 columns\n`,
      );
      const seed = join(dir, "seed.sql");
      writeFileSync(seed, "CREATE TABLE t (a INTEGER);\nINSERT INTO t VALUES ('x');\n");
      const badSeed = await runInProcess(["--seed", seed, "--api-key", "k", "--port", "0"]);
      expect(badSeed.code).toBe(2);
      expect(badSeed.stderr).toBe(
        `polytomic-cdktf emulator: seed file ${seed} line 2: Conversion Error: Could not convert string 'x' to INT32\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--help prints the usage and exits 0", async () => {
    const result = await runInProcess(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("usage: polytomic-cdktf emulator [options]");
    for (const flag of [
      "--snowflake-password PASS",
      "--catalog FILE",
      "--seed FILE",
      "--run-schedules",
      "--execution-delay MS",
      '(default: $POLYTOMIC_EMULATOR_SNOWFLAKE_PASSWORD, else "emulator")',
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });
});

describe("running", () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emulator-command-"));
  });

  afterEach(() => {
    child?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  function start(args: string[], env: Record<string, string>) {
    const spawned = spawn(process.execPath, ["--require", "tsx/cjs", RUNNER, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    child = spawned;
    const lines = createInterface({ input: spawned.stdout })[Symbol.asyncIterator]();
    let stderr = "";
    spawned.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) =>
      spawned.on("exit", (code) => resolve(code)),
    );
    return { spawned, lines, exited, stderr: () => stderr };
  }

  test("prints its URL first, serves, and stops cleanly on SIGTERM with data flushed", async () => {
    const dataFile = join(dir, "state.json");
    const run = start(["--port", "0", "--data", dataFile, "--snowflake-password", "pw-secret"], {
      POLYTOMIC_API_KEY: "env-key-secret",
    });
    const first = await run.lines.next();
    const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(String(first.value));
    expect(match).not.toBeNull();
    const url = match?.[0] ?? "";
    const headers = { authorization: "Bearer env-key-secret", "content-type": "application/json" };
    const body = JSON.stringify({
      name: "From the CLI",
      type: "snowflake",
      configuration: { account: "a", username: "u", dbname: "d", password: "wrong" },
    });
    const refused = await request(`${url}/api/connections`, { method: "POST", headers, body });
    expect(refused.statusCode).toBe(422);
    await refused.body.dump();
    const created = await request(`${url}/api/connections`, {
      method: "POST",
      headers,
      body: body.replace("wrong", "pw-secret"),
    });
    expect(created.statusCode).toBe(200);
    const { data } = (await created.body.json()) as { data: { id: string } };
    const logLine = await run.lines.next();
    expect(String(logLine.value)).toMatch(/^POST \/api\/connections 422 \d+ms$/);
    run.spawned.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(readFileSync(dataFile, "utf8")).toContain(data.id);
    const output: string[] = [];
    for (let next = await run.lines.next(); !next.done; next = await run.lines.next())
      output.push(next.value);
    expect(output.at(-1)).toContain("stopped");
    const everything = [String(first.value), String(logLine.value), ...output, run.stderr()].join(
      "\n",
    );
    expect(everything).not.toContain("env-key-secret");
    expect(everything).not.toContain("pw-secret");
  });

  test("a port already in use is one line on stderr and exit code 1", async () => {
    const holder = start(["--port", "0"], { POLYTOMIC_API_KEY: "k" });
    const port = /:(\d+)/.exec(String((await holder.lines.next()).value))?.[1] ?? "";
    const clash = spawn(
      process.execPath,
      ["--require", "tsx/cjs", RUNNER, "--port", port, "--api-key", "k"],
      {
        cwd: ROOT,
      },
    );
    let stderr = "";
    clash.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => clash.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("EADDRINUSE");
    holder.spawned.kill("SIGINT");
    expect(await holder.exited).toBe(0);
  });
});

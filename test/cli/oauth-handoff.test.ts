/**
 * The Salesforce OAuth hand-off through the bundled CLI against the emulator: every run that waits
 * prints the URL to open, and a run nobody watches (CI without a terminal) fails at once with the
 * URL instead of waiting five minutes, unless POLYTOMIC_OAUTH_TIMEOUT asks it to wait.
 */
import { spawn } from "node:child_process";
import type { CliResult } from "../support/cli";
import { CLI, CliStack, model, salesforce, snowflake, sync } from "../support/cli";
import { KEY, TestEmulator } from "../emulator/helpers";

const PASSWORD = "correct-horse-battery-staple";
let emulator: TestEmulator;
let env: Record<string, string>;

beforeEach(async () => {
  // No --auto-authorize: nobody consents unless a test does.
  emulator = await TestEmulator.start({ snowflakePassword: PASSWORD });
  env = { POLYTOMIC_API_URL: emulator.url, POLYTOMIC_API_KEY: KEY, SNOWFLAKE_PASSWORD: PASSWORD };
});

afterEach(() => emulator.close());

const seed = (mode: "browser" | "code" = "browser") => [
  snowflake(),
  salesforce("Salesforce Connection", mode),
  model(),
  sync(),
];

function collect(child: ReturnType<typeof spawn>): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
}

/**
 * Runs the deploy step in a session of its own, so that it has no controlling terminal whatever
 * terminal the tests run from: as on a CI runner.
 */
function deployWithoutTerminal(stack: CliStack, extra: Record<string, string>): Promise<CliResult> {
  return collect(
    spawn(process.execPath, [CLI, "deploy"], {
      cwd: stack.dir,
      env: { PATH: process.env.PATH, ...stack.owned(), ...env, ...extra },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    }),
  );
}

async function salesforceId(): Promise<string> {
  const listed = (await emulator.ok("GET", "/api/connections")).json.data as {
    id: string;
    name: string;
  }[];
  return listed.find((connection) => connection.name === "Salesforce Connection")!.id;
}

async function syncCount(): Promise<number> {
  return (await emulator.ok("GET", "/api/syncs")).json.data.length;
}

test("a later run that waits prints the URL to open again, not only the run that created it", async () => {
  const stack = new CliStack(seed("code"));
  const first = await stack.run("deploy", { ...env, POLYTOMIC_OAUTH_TIMEOUT: "1" });
  expect(first.code).toBe(1);
  const id = await salesforceId();
  const url = `${emulator.url}/oauth/salesforce/${id}`;
  expect(first.stdout).toContain(url);

  const second = await stack.run("deploy", { ...env, POLYTOMIC_OAUTH_TIMEOUT: "1" });
  expect(second.stdout).toMatch(
    /~ connection "Salesforce Connection" updated \(id [\w-]+\): authorisation/,
  );
  expect(second.stdout).toContain(
    'ACTION REQUIRED: authorise Salesforce connection "Salesforce Connection" in a browser:',
  );
  expect(second.stdout).toContain(url);
  // The code handed out now is the one that works, and the wait and the failure name it.
  const code = /enter the code (\w{8})/.exec(second.stdout)?.[1];
  expect(code).toBeDefined();
  expect(second.stdout).toContain(`waits up to 1 s`);
  expect(second.stdout).toContain(`(open ${url} in a browser and enter the code ${code})`);
  expect(second.stderr).toContain(
    `is still not authorised after 1 s: open ${url} in a browser and enter the code ${code} to authorise it`,
  );
  expect(await syncCount()).toBe(0);
});

test("under CI with no terminal the deploy fails at once, naming the URL and how to authorise", async () => {
  const stack = new CliStack(seed());
  const result = await deployWithoutTerminal(stack, { CI: "true" });
  const url = `${emulator.url}/oauth/salesforce/${await salesforceId()}`;
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(url);
  expect(result.stdout).toContain("Then run cdktf deploy again");
  expect(result.stdout).not.toContain("waits up to");
  expect(result.stderr).toMatch(
    new RegExp(
      `Salesforce connection "Salesforce Connection" \\(id [\\w-]+\\) is not authorised yet: open ${url} in a browser to authorise it, then run cdktf deploy again \\(ModelSync "cli-test\\/Contacts" cannot wait for it: it runs under CI \\(CI is set and there is no terminal\\), where nobody can authorise it during the run; set POLYTOMIC_OAUTH_TIMEOUT to a number of seconds to wait anyway\\)`,
    ),
  );
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(await syncCount()).toBe(0);
});

test("under CI, POLYTOMIC_OAUTH_TIMEOUT makes the deploy wait that long", async () => {
  const stack = new CliStack(seed());
  const result = await deployWithoutTerminal(stack, { CI: "1", POLYTOMIC_OAUTH_TIMEOUT: "1" });
  expect(result.stdout).toContain("waits up to 1 s for Salesforce connection");
  expect(result.stderr).toContain("is still not authorised after 1 s");
});

/** A deploy in progress: what it printed so far, and its end. */
interface Running {
  output(): string;
  done: Promise<CliResult>;
}

function start(child: ReturnType<typeof spawn>): Running {
  let printed = "";
  child.stdout?.on("data", (chunk) => (printed += String(chunk)));
  child.stderr?.on("data", (chunk) => (printed += String(chunk)));
  return { output: () => printed, done: collect(child) };
}

/** Waits until the deploy says it waits for the authorisation, authorises, and lets it finish. */
async function authoriseWhileWaiting(running: Running): Promise<CliResult> {
  for (let i = 0; i < 200 && !running.output().includes("waits up to"); i += 1)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(running.output()).toContain("waits up to 300 s for Salesforce connection");
  const confirm = await emulator.call("POST", `/oauth/salesforce/${await salesforceId()}`, {
    key: null,
    raw: "confirm=1",
    contentType: "application/x-www-form-urlencoded",
  });
  expect(confirm.status).toBe(200);
  return running.done;
}

test("CI=false waits for the person, as outside CI", async () => {
  const stack = new CliStack(seed());
  const running = start(
    spawn(process.execPath, [CLI, "deploy"], {
      cwd: stack.dir,
      env: { PATH: process.env.PATH, ...stack.owned(), ...env, CI: "false" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    }),
  );
  expect((await authoriseWhileWaiting(running)).code).toBe(0);
  expect(await syncCount()).toBe(1);
});

test("CI set where a person is at a terminal waits for them", async () => {
  const stack = new CliStack(seed());
  // script(1) runs the deploy on a pseudo-terminal of its own: a developer's shell with CI set.
  const running = start(
    spawn("script", ["-qec", `"${process.execPath}" "${CLI}" deploy`, "/dev/null"], {
      cwd: stack.dir,
      env: { PATH: process.env.PATH, ...stack.owned(), ...env, CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const result = await authoriseWhileWaiting(running);
  expect(result.code).toBe(0);
  expect(await syncCount()).toBe(1);
});

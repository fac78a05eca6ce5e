/** The README's demo command, run as a user would. */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { ROOT } from "../support/e2e";

function demo(env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, [join(ROOT, "scripts", "demo.mjs")], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += String(chunk)));
  child.stderr.on("data", (chunk) => (output += String(chunk)));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, output })),
  );
}

test("npm run demo deploys and tests the seed example, runs the sync and shows what reached Contact", async () => {
  const { code, output } = await demo({ ...process.env, CI: "1", NO_COLOR: "1" });
  expect(code).toBe(0);
  expect(output).toMatch(/Polytomic API emulator running at http:\/\/127\.0\.0\.1:\d+/);
  expect(output).toContain("Apply complete! Resources: 7 added, 0 changed, 0 destroyed.");
  expect(output).toContain("cdktf-polytomic: 4 created, 0 updated, 0 unchanged");
  expect(output).toMatch(/Snowflake Connection {2}\[snowflake, healthy\] {2}id [0-9a-f-]{36}/);
  expect(output).toContain("fields: last_activity_date, plan, first_name, last_name, email");
  expect(output).toContain(
    "create into Salesforce Connection / Contact, schedule continuous, active true",
  );
  expect(output).toContain("match email Equality Email");
  expect(output).toContain("map   first_name -> FirstName");
  // The deploy tested the sync (testRun), then the demo ran it once.
  expect(output).toMatch(
    /sync "Snowflake to Salesforce Sync": test passed, execution [0-9a-f-]+ completed: 10 records: 10 to insert/,
  );
  expect(output).toMatch(
    /execution [0-9a-f-]+ completed: 300 records: 269 inserted, 23 refused, 8 warnings/,
  );
  expect(output).toContain("refused by field: LastName 14, Email 6, FirstName 3");
  expect(output).toMatch(/record "[^"]+", field LastName: REQUIRED_FIELD_MISSING: /);
  expect(output).toContain("Salesforce Contact now holds 269 record(s); the first 5:");
  expect(output).toMatch(/003\w{15} {2}Grace Rossi {2}<grace\.rossi1@globex\.test>/);
  expect(output).not.toContain("demo-snowflake-password");
});

test("without terraform on PATH the demo stops at once, saying what to install", async () => {
  const { code, output } = await demo({ PATH: dirname(process.execPath) });
  expect(code).toBe(1);
  expect(output).toContain("Terraform is not on PATH. Install Terraform 1.5 or newer");
});

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

test("npm run demo deploys the seed example against the emulator and summarises it", async () => {
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
  expect(output).not.toContain("demo-snowflake-password");
});

test("without terraform on PATH the demo stops at once, saying what to install", async () => {
  const { code, output } = await demo({ PATH: dirname(process.execPath) });
  expect(code).toBe(1);
  expect(output).toContain("Terraform is not on PATH. Install Terraform 1.5 or newer");
});

// `npm run demo`: deploys the seed example (examples/snowflake-to-salesforce, the app cdktf.json
// points at) with the real cdktf CLI and Terraform against the bundled Polytomic API emulator
// (the deploy tests the sync first: testRun), prints what now exists, runs the sync once
// (`polytomic-cdktf sync run --wait`), prints what arrived in Salesforce Contact, and stops the
// emulator. Each run starts from an empty emulator and state.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import emulatorProcess from "./lib/emulator-process.cjs";

const { startEmulatorProcess, summarise, salesforceRecords } = emulatorProcess;

const root = fileURLToPath(new URL("..", import.meta.url));
const STACK = "snowflake-to-salesforce";
const SYNC = "Snowflake to Salesforce Sync";
const SALESFORCE_DOMAIN = "example.my.salesforce.com";

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

if (spawnSync("terraform", ["version"], { stdio: "ignore" }).error) {
  fail(
    "Terraform is not on PATH. Install Terraform 1.5 or newer (https://developer.hashicorp.com/terraform/install), then run npm run demo again.",
  );
}

// On a fresh clone this installs the dependencies first; it builds dist/ if it is stale.
const bootstrap = spawnSync(process.execPath, [join(root, "scripts/bootstrap.mjs")], {
  cwd: root,
  stdio: "inherit",
});
if (bootstrap.status !== 0) fail("installing or building failed (see above)");

for (const file of [`terraform.${STACK}.tfstate`, `terraform.${STACK}.tfstate.backup`])
  rmSync(join(root, file), { force: true });

const apiKey = `demo-${randomBytes(12).toString("hex")}`;
const SNOWFLAKE_PASSWORD = "demo-snowflake-password";
const emulator = await startEmulatorProcess(root, [
  "--auto-authorize",
  "--api-key",
  apiKey,
  // The only password the emulated warehouse accepts: the one the deploy passes.
  "--snowflake-password",
  SNOWFLAKE_PASSWORD,
]);
console.log(`Polytomic API emulator running at ${emulator.url}`);

let code;
try {
  const env = {
    ...process.env,
    // A TF_CLI_CONFIG_FILE naming a missing file only makes Terraform print a warning per command.
    ...(process.env.TF_CLI_CONFIG_FILE && !existsSync(process.env.TF_CLI_CONFIG_FILE)
      ? { TF_CLI_CONFIG_FILE: "" }
      : {}),
    POLYTOMIC_API_URL: emulator.url,
    POLYTOMIC_API_KEY: apiKey,
    SNOWFLAKE_PASSWORD,
    CHECKPOINT_DISABLE: "1",
    DISABLE_VERSION_CHECK: "true",
  };
  const deploy = spawn("npx", ["cdktf", "deploy", "--auto-approve", STACK], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  code = await new Promise((resolve) => deploy.on("exit", (status) => resolve(status ?? 1)));
  if (code === 0) {
    console.log(`\nWhat now exists in Polytomic (the emulator at ${emulator.url}):\n`);
    console.log(await summarise(emulator.url, apiKey));
    console.log(`\nRunning the sync once: polytomic-cdktf sync run "${SYNC}" --wait\n`);
    // Exit code 1 when Salesforce refused records, as the sample's problem rows make it.
    const run = spawnSync(
      process.execPath,
      [join(root, "dist/cli.cjs"), "sync", "run", SYNC, "--wait"],
      { cwd: root, env, stdio: "inherit" },
    );
    if (run.status !== 0 && run.status !== 1) {
      console.error(`demo: polytomic-cdktf sync run failed with exit code ${run.status}`);
      code = 1;
    } else {
      console.log(`\n${await salesforceRecords(emulator.url, SALESFORCE_DOMAIN, "Contact")}`);
      console.log(
        "The refused rows stay in the warehouse: fix them (or the sync's mappings) and the next run sends them again.",
      );
    }
  } else {
    console.error(`demo: cdktf deploy failed with exit code ${code}`);
  }
} finally {
  await emulator.stop();
}
process.exit(code);

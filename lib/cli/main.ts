/**
 * Entry point of the bundled CLI (dist/cli.cjs, `polytomic-cdktf`). Synthesized stacks run it with a
 * provisioning verb; people run it for the emulator.
 */
import { version } from "../../package.json";
import type { Verb } from "../core/contract";
import { VERBS } from "../core/contract";

const USAGE = `usage: polytomic-cdktf <command>

commands:
  diff [STACK_DIR...]  what a deploy would change in Polytomic, and drift (see: polytomic-cdktf diff --help)
  emulator [options]   run the local Polytomic API emulator (see: polytomic-cdktf emulator --help)
  sync run NAME [--test] [--wait] | sync status NAME
                       run a sync, or see its executions (see: polytomic-cdktf sync --help)
  deploy | report | delete-removed | delete-all
                       provisioning steps run by the stacks cdktf-polytomic synthesizes
  --version            print the version`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "version") {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if ((VERBS as readonly string[]).includes(command ?? "")) {
    // Loaded on demand so that `--version` and the emulator start without the API client.
    const { runProvisioning } = await import("./deploy/run.js");
    return runProvisioning(command as Verb, {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  }
  if (command === "diff") {
    const { runDiff } = await import("./diff/command.js");
    return runDiff(rest, {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      isTTY: process.stdout.isTTY,
    });
  }
  if (command === "emulator") {
    const { runEmulatorCommand } = await import("../emulator/command.js");
    return runEmulatorCommand(rest);
  }
  if (command === "sync") {
    const { runSyncCommand, SYNC_USAGE } = await import("./sync-command.js");
    if (rest[0] === "--help" || rest[0] === "help") {
      process.stdout.write(`${SYNC_USAGE}\n`);
      return 0;
    }
    return runSyncCommand(rest, {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  }
  if (command === "--help" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  process.stderr.write(
    `${command === undefined ? "no command given" : `unknown command ${JSON.stringify(command)}`}\n${USAGE}\n`,
  );
  return 2;
}

/**
 * Exits as soon as the output is flushed: an idle HTTP client can hold the event loop open for
 * another ~90 ms, which every provisioner of a large stack would pay.
 */
function exit(code: number): void {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main(process.argv.slice(2)).then(exit, (error: unknown) => {
  process.stderr.write(
    `polytomic-cdktf: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  exit(1);
});

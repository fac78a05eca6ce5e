/**
 * Entry point of the bundled CLI (dist/cli.cjs). Synthesized stacks run it with a provisioning verb;
 * users run it as `polytomic-cdktf` for the emulator.
 */
import { version } from "../../package.json";

const USAGE = `usage: polytomic-cdktf <command>

commands:
  --version   print the version`;

function main(argv: readonly string[]): number {
  const [command] = argv;
  if (command === "--version" || command === "version") {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));

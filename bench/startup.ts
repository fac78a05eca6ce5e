/** Start-up of the bundled CLI printing its version, against `node -e 0`. */
import { join } from "node:path";
import type { Figure } from "./measure";
import { figure, mustRun, paired } from "./measure";

const CLI = join(__dirname, "..", "dist", "cli.cjs");

export async function startupBenchmark(quick: boolean): Promise<Figure[]> {
  const { value, floor } = await paired(
    quick ? 15 : 41,
    async () => (await mustRun(process.execPath, [CLI, "--version"])).ms,
    async () => (await mustRun(process.execPath, ["-e", "0"])).ms,
  );
  return [figure("CLI start-up: cli.cjs --version", "ms", value, floor, { maxRatio: 1.5 })];
}

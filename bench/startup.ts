/** Start-up of the bundled CLI printing its version, against `node -e 0`. */
import { join } from "node:path";
import type { Figure } from "./measure";
import { costFigures, mustRun, paired } from "./measure";

const CLI = join(__dirname, "..", "dist", "cli.cjs");

export async function startupBenchmark(quick: boolean): Promise<Figure[]> {
  const { value, floor } = await paired(
    quick ? 15 : 41,
    () => mustRun(process.execPath, [CLI, "--version"]),
    () => mustRun(process.execPath, ["-e", "0"]),
  );
  return costFigures("CLI start-up: cli.cjs --version", value, floor, { maxRatio: 1.5 });
}

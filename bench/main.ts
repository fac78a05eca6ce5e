/**
 * `npm run bench [-- --quick] [-- --only=SECTION]`: every figure against a floor measured in the
 * same run, printed as a table and written to bench/results.json (`--only` runs the sections whose
 * title contains SECTION, e.g. `--only=executions`). Benchmarks are not tests: CI runs none of them.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { deployBenchmarks } from "./deploy";
import { emulatorThroughput } from "./emulator-throughput";
import { executionBenchmarks } from "./executions";
import type { Figure } from "./measure";
import { startupBenchmark } from "./startup";
import { synthBenchmarks } from "./synth";

function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    `${f.floor} ${f.unit}`,
    f.ratio.toFixed(2),
    f.target ?? "",
    f.met === undefined ? "" : f.met ? "met" : "MISSED",
  ]);
  const header = ["figure", "value", "floor", "ratio", "target", ""];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const started = Date.now();
  const figures: Figure[] = [];
  const sections: [string, (quick: boolean) => Promise<Figure[]>][] = [
    ["CLI start-up", startupBenchmark],
    ["synth", synthBenchmarks],
    ["deploy", deployBenchmarks],
    ["emulator throughput", emulatorThroughput],
    ["emulator executions", executionBenchmarks],
  ];
  const only = process.argv.find((argument) => argument.startsWith("--only="))?.slice(7);
  for (const [title, section] of sections) {
    if (only !== undefined && !title.includes(only)) continue;
    const sectionStarted = Date.now();
    process.stderr.write(`bench: ${title}…`);
    figures.push(...(await section(quick)));
    process.stderr.write(` ${Math.round((Date.now() - sectionStarted) / 1000)} s\n`);
  }
  const terraform = execFileSync("terraform", ["version", "-json"], {
    env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" },
  }).toString();
  const results = {
    date: new Date().toISOString(),
    quick,
    seconds: Math.round((Date.now() - started) / 1000),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model,
      node: process.version,
      terraform: JSON.parse(terraform).terraform_version,
    },
    figures,
  };
  // A partial run (--only) does not replace the record of the last full or quick one.
  if (only === undefined) {
    writeFileSync(join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  }
  process.stdout.write(
    `${table(figures)}\n\n${results.machine.cores} cores, ${results.machine.cpu}, Node ${results.machine.node}, Terraform ${results.machine.terraform}; ${results.seconds} s${quick ? " (quick)" : ""}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

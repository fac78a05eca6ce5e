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
import { Emulator } from "./emulator";
import { emulatorThroughput } from "./emulator-throughput";
import { executionBenchmarks } from "./executions";
import type { Figure } from "./measure";
import { planLarge } from "./plan";
import { startupBenchmark } from "./startup";
import { synthBenchmarks } from "./synth";

/** A count with no floor (requests of a redeploy) shows neither floor nor ratio. */
function hasFloor(f: Figure): boolean {
  return !(f.floor === 0 && f.ratio === 0);
}

function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    hasFloor(f) ? `${f.floor} ${f.unit}` : "",
    hasFloor(f) ? f.ratio.toFixed(2) : "",
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
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.name}: ${f.note}`);
  return [
    line(header),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.map(line),
    "",
    "Notes:",
    ...notes,
  ].join("\n");
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const started = Date.now();
  const figures: Figure[] = [];
  // One emulator per latency for the whole run, reset before every deploy from empty.
  const emulators = { 0: await Emulator.start(0), 50: await Emulator.start(50) };
  const sections: [string, () => Promise<Figure[]>][] = [
    ["CLI start-up", () => startupBenchmark(quick)],
    ["synth", () => synthBenchmarks(quick)],
    [
      "deploy, plan, state and requests at 112 and 1000 objects",
      () => deployBenchmarks(quick, emulators),
    ],
  ];
  // Seeding two states of 3000 objects takes minutes: full runs only.
  if (!quick) sections.push(["plan at 3000 objects", () => planLarge(emulators[0], 3000)]);
  sections.push(["emulator throughput", () => emulatorThroughput(quick)]);
  sections.push(["emulator executions", () => executionBenchmarks(quick)]);
  const only = process.argv.find((argument) => argument.startsWith("--only="))?.slice(7);
  const seconds: Record<string, number> = {};
  try {
    for (const [title, section] of sections) {
      if (only !== undefined && !title.includes(only)) continue;
      const sectionStarted = Date.now();
      process.stderr.write(`bench: ${title}…`);
      figures.push(...(await section()));
      seconds[title] = Math.round((Date.now() - sectionStarted) / 1000);
      process.stderr.write(` ${seconds[title]} s\n`);
    }
  } finally {
    await Promise.all(Object.values(emulators).map((emulator) => emulator.stop()));
  }
  const terraform = execFileSync("terraform", ["version", "-json"], {
    env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" },
  }).toString();
  const results = {
    date: new Date().toISOString(),
    quick,
    seconds: Math.round((Date.now() - started) / 1000),
    sectionSeconds: seconds,
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

/** Timing and process helpers shared by the benchmarks. */
import type { SpawnOptions } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Figure {
  /** What was measured, e.g. "synth 1000 objects: wall". */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The floor measured in the same run, in the same unit (or the least possible count). */
  readonly floor: number;
  /** value / floor (or floor / value for throughput, so that higher is worse everywhere). */
  readonly ratio: number;
  /** The target, as a bound on the ratio or on the value. */
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}

/** What one process tree cost: wall time, CPU time (user + system, children included), peak RSS. */
export interface Cost {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Of the largest single process of the tree. */
  readonly maxRssKb: number;
}

export interface Run extends Cost {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** GNU time reports CPU of the whole tree a command waited for (Terraform waits its provisioners). */
const TIME = "/usr/bin/time";

/**
 * Runs a command to completion under GNU time: wall time from spawn to exit, CPU time and peak
 * memory of the command and every descendant it waited for.
 */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "bench-time-"));
  const report = join(dir, "time");
  const started = process.hrtime.bigint();
  const child = spawn(TIME, ["-f", "%U %S %M", "-o", report, command, ...args], {
    ...options,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      // A failing command makes GNU time write "Command exited with non-zero status" first.
      const lines = readFileSync(report, "utf8").trim().split("\n");
      rmSync(dir, { recursive: true, force: true });
      const [user, system, rss] = lines[lines.length - 1].split(" ").map(Number);
      resolve({
        status: status ?? -1,
        wallMs,
        cpuMs: Math.round((user + system) * 1000),
        maxRssKb: rss,
        stdout,
        stderr,
      });
    });
  });
}

export async function mustRun(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<Run> {
  const result = await run(command, args, options);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
    );
  }
  return result;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Medians of each measure, taken separately. */
export function medianCost(costs: readonly Cost[]): Cost {
  return {
    wallMs: median(costs.map((c) => c.wallMs)),
    cpuMs: median(costs.map((c) => c.cpuMs)),
    maxRssKb: median(costs.map((c) => c.maxRssKb)),
  };
}

/** Runs `measure` `times` times, alternating with `floor` so both see the same machine load. */
export async function paired(
  times: number,
  measure: () => Promise<Cost>,
  floor: () => Promise<Cost>,
): Promise<{ value: Cost; floor: Cost }> {
  const values: Cost[] = [];
  const floors: Cost[] = [];
  for (let i = 0; i < times; i += 1) {
    floors.push(await floor());
    values.push(await measure());
  }
  return { value: medianCost(values), floor: medianCost(floors) };
}

/** `paired` for a single number per run (a rate, a latency), alternated the same way. */
export async function pairedValues(
  times: number,
  measure: () => Promise<number>,
  floor: () => Promise<number>,
): Promise<{ value: number; floor: number }> {
  const values: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < times; i += 1) {
    floors.push(await floor());
    values.push(await measure());
  }
  return { value: median(values), floor: median(floors) };
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function figure(
  name: string,
  unit: string,
  value: number,
  floor: number,
  target?: { maxRatio: number },
  note?: string,
): Figure {
  const ratio = value / floor;
  return {
    name,
    value: round(value),
    unit,
    floor: round(floor),
    ratio: round(ratio, 2),
    ...(target ? { target: `ratio <= ${target.maxRatio}`, met: ratio <= target.maxRatio } : {}),
    ...(note ? { note } : {}),
  };
}

/** Wall and CPU figures of one measurement against its floor, with the same target on both. */
export function costFigures(
  name: string,
  value: Cost,
  floor: Cost,
  target?: { maxRatio: number },
  note?: string,
): Figure[] {
  return [
    figure(`${name}: wall`, "ms", value.wallMs, floor.wallMs, target, note),
    figure(`${name}: CPU`, "ms", value.cpuMs, floor.cpuMs, target),
  ];
}

/** A count against a bound (requests, provisioner runs): ratio is value / least, or 0. */
export function countFigure(
  name: string,
  value: number,
  least: number,
  bound: { max: number; text?: string } | undefined,
  note?: string,
): Figure {
  return {
    name,
    value: round(value, 2),
    unit: "count",
    floor: round(least, 2),
    ratio: least > 0 ? round(value / least, 2) : 0,
    ...(bound ? { target: bound.text ?? `value <= ${bound.max}`, met: value <= bound.max } : {}),
    ...(note ? { note } : {}),
  };
}

/** Timing and process helpers shared by the benchmarks. */
import type { SpawnOptions } from "node:child_process";
import { spawn } from "node:child_process";

export interface Figure {
  /** What was measured, e.g. "synth N=1000: wall time". */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The floor measured in the same run, in the same unit. */
  readonly floor: number;
  /** value / floor (or floor / value for throughput, so that higher is worse everywhere). */
  readonly ratio: number;
  /** The target, as a bound on the ratio or on the value. */
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}

export interface Run {
  readonly status: number;
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion, timing it from spawn to exit. */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<Run> {
  const started = process.hrtime.bigint();
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) =>
    child.on("close", (status) =>
      resolve({
        status: status ?? -1,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        stdout,
        stderr,
      }),
    ),
  );
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

/** Runs `measure` `times` times, alternating with `floor` so both see the same machine load. */
export async function paired(
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
    ratio: round(ratio, 3),
    ...(target ? { target: `ratio <= ${target.maxRatio}`, met: ratio <= target.maxRatio } : {}),
    ...(note ? { note } : {}),
  };
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

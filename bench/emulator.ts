/**
 * The bundled emulator in its own process, with what the benchmarks read from it: its request log
 * (reads and writes), a reset between runs, and its CPU time, which stands in for Polytomic's
 * servers and so is reported beside our figures, never inside them.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(__dirname, "..");
export const API_KEY = "bench-api-key-0123456789";
/** The password of the emulated warehouse, which the stacks' Snowflake connections send. */
export const SNOWFLAKE_PASSWORD = "bench-snowflake-password";

interface LoggedRequest {
  readonly method: string;
  readonly path: string;
}

export interface Requests {
  readonly reads: number;
  readonly writes: number;
  readonly total: number;
  /** The writes, as `METHOD /path` with ids replaced, and how many of each. */
  readonly written: Readonly<Record<string, number>>;
}

export function countRequests(log: readonly LoggedRequest[]): Requests {
  const written: Record<string, number> = {};
  let reads = 0;
  for (const request of log) {
    if (request.method === "GET") {
      reads += 1;
      continue;
    }
    const what = `${request.method} ${request.path.replace(/\/[0-9a-f]{8}-[0-9a-f-]{27}/g, "/{id}")}`;
    written[what] = (written[what] ?? 0) + 1;
  }
  return { reads, writes: log.length - reads, total: log.length, written };
}

export function describeRequests(requests: Requests): string {
  const writes = Object.entries(requests.written)
    .map(([what, count]) => `${count}× ${what}`)
    .join(", ");
  return `${requests.reads} reads, ${requests.writes} writes${writes ? ` (${writes})` : ""}`;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

export class Emulator {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static start(latencyMs: number, extra: string[] = []): Promise<Emulator> {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, "dist", "cli.cjs"),
        "emulator",
        "--port",
        "0",
        "--api-key",
        API_KEY,
        "--auto-authorize",
        "--snowflake-password",
        SNOWFLAKE_PASSWORD,
        // The columns the generated stacks select beyond the built-in users table.
        "--seed",
        join(ROOT, "bench", "fixtures", "warehouse.sql"),
        "--latency",
        String(latencyMs),
        ...extra,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      child.once("exit", (status) =>
        reject(new Error(`the emulator exited with code ${status} before listening`)),
      );
      lines.once("line", (line) => {
        const url = /http:\/\/[^\s]+/.exec(line)?.[0];
        if (!url) {
          child.kill();
          reject(new Error(`unexpected first line from the emulator: ${line}`));
          return;
        }
        lines.on("line", () => {});
        child.removeAllListeners("exit");
        resolve(new Emulator(child, url));
      });
    });
  }

  /** Deletes every object and clears the request log. */
  async reset(): Promise<void> {
    const response = await fetch(`${this.url}/emulator/reset`, { method: "POST" });
    if (!response.ok) throw new Error(`POST /emulator/reset answered ${response.status}`);
  }

  async requests(): Promise<LoggedRequest[]> {
    const response = await fetch(`${this.url}/emulator/requests`);
    if (!response.ok) throw new Error(`GET /emulator/requests answered ${response.status}`);
    return (await response.json()) as LoggedRequest[];
  }

  /** User + system CPU time the emulator has used so far. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  }

  stop(): Promise<void> {
    return new Promise((done) => {
      if (this.child.exitCode !== null) {
        done();
        return;
      }
      this.child.once("exit", () => done());
      this.child.kill("SIGTERM");
    });
  }
}

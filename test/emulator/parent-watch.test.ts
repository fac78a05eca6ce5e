/**
 * `npx polytomic-cdktf emulator … & kill $!` kills npm's wrapper, not node: the emulator must stop
 * with it. Started from a shell directly, it outlives that shell (a CI step starting it for the
 * next). Both through the built CLI, as a user runs it.
 */
import { spawn } from "node:child_process";
import { get } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { KEY } from "./helpers";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli.cjs");
/** The watch looks every 200 ms; closing takes a few more. */
const STOP_BOUND_MS = 5000;

/** Resolves with the status of `GET url/api/me` on a fresh connection, or the error code. */
function probe(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = get(
      `${url}/api/me`,
      { agent: false, headers: { authorization: `Bearer ${KEY}` }, timeout: 1000 },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("timeout", () => request.destroy(Object.assign(new Error(), { code: "TIMEOUT" })));
    request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "ERROR"));
  });
}

/** Milliseconds until `url` refuses connections, or undefined if it still answers after `boundMs`. */
async function untilRefused(url: string, boundMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < boundMs) {
    if ((await probe(url)) === "ECONNREFUSED") return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/** The lines printed on a child's stdout, and the emulator's URL once printed. */
function linesOf(child: { readonly stdout: Readable }) {
  const lines: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      const found = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
      if (found) resolve(found);
    });
    child.stdout.on("close", () => reject(new Error("no emulator URL was printed")));
  });
  return { lines, url };
}

test("killing the npx wrapper stops the emulator it started", async () => {
  // Its own process group, so that whatever is left can be cleaned up by the group's id.
  const wrapper = spawn("npx", ["polytomic-cdktf", "emulator", "--port", "0", "--api-key", KEY], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const group = wrapper.pid as number;
  try {
    const output = linesOf(wrapper);
    const url = await output.url;
    expect(await probe(url)).toBe(200);

    process.kill(group, "SIGTERM"); // `kill $!`: the wrapper alone, as a shell's job would be
    const stoppedAfterMs = await untilRefused(url, STOP_BOUND_MS);

    expect(stoppedAfterMs).toBeDefined();
    expect(output.lines).toContain(
      "Polytomic API emulator stopped (the process that started it exited)",
    );
  } finally {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // The group is gone: nothing was left behind.
    }
  }
});

test("started from a shell directly, the emulator outlives that shell", async () => {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("npm_")) delete env[name];
  // The shell starts the emulator in the background, prints its pid and exits at once.
  const shell = spawn(
    "sh",
    ["-c", `"$0" "$1" emulator --port 0 --api-key ${KEY} & echo "pid $!"`, process.execPath, CLI],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const shellExited = new Promise((resolve) => shell.on("exit", resolve));
  const output = linesOf(shell);
  try {
    const url = await output.url;
    await shellExited;

    // Longer than the watch would take to stop a watched emulator.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await probe(url)).toBe(200);
  } finally {
    const pid = Number(/^pid (\d+)$/m.exec(output.lines.join("\n"))?.[1]);
    if (pid > 0) process.kill(pid, "SIGTERM");
  }
});

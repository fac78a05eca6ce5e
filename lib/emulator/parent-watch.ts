/**
 * Stops the emulator when the package manager's wrapper that started it goes away. `npx
 * polytomic-cdktf emulator & … kill $!` kills npm's process: npm passes the signal on to the
 * `sh -c` it runs the bin in, which dies without passing it further, and node went on serving,
 * adopted by init, holding its port.
 *
 * Only when a package manager started it (npm, pnpm and yarn set `npm_execpath`): run from a
 * shell directly, a background emulator keeps the usual Unix behaviour and outlives that shell, so
 * a CI step can start it for the next step. There, `kill $!` reaches node itself.
 */

/** How often the parent is looked at; the emulator stops within about this long of its exit. */
const POLL_MS = 200;

export interface ParentWatch {
  /** Resolves, with the reason to print, once the parent has exited; never if not watching. */
  readonly exited: Promise<string>;
  /** Stops watching. */
  stop(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function watchParent(env: NodeJS.ProcessEnv = process.env): ParentWatch {
  const parent = process.ppid;
  // Parent 0 or 1: started by init or a container runtime, nothing to outlive.
  if (env.npm_execpath === undefined || parent <= 1) {
    return { exited: new Promise(() => {}), stop: () => {} };
  }
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<string>((resolve) => {
    timer = setInterval(() => {
      // A re-parented process (POSIX) or a vanished parent pid (Windows keeps the old ppid).
      if (process.ppid !== parent || !isAlive(parent)) {
        clearInterval(timer);
        resolve("the process that started it exited");
      }
    }, POLL_MS);
    // Watching never keeps the process alive by itself.
    timer.unref();
  });
  return { exited, stop: () => clearInterval(timer) };
}

/**
 * Interrupting a real `terraform apply` the way a cancelled CI job does: SIGKILL of its whole
 * process group (Terraform and the provisioners it runs), at a moment chosen by the test.
 */
import { spawn } from "node:child_process";
import type { Project } from "./e2e";

export interface Interrupted {
  /** Whether the kill landed before the apply ended by itself. */
  readonly killed: boolean;
  /** Milliseconds from start to kill (or to the apply's end). */
  readonly afterMs: number;
  readonly output: string;
}

/**
 * Runs `terraform apply` in the synthesized stack directory and kills its process group when
 * `when` resolves (a delay, or a condition the test polls), unless it ended first.
 */
export async function applyAndKill(
  project: Project,
  stack: string,
  when: (apply: { readonly ended: boolean }) => Promise<void>,
): Promise<Interrupted> {
  const started = Date.now();
  const child = spawn("terraform", ["apply", "-auto-approve", "-input=false", "-no-color"], {
    cwd: project.stackDir(stack),
    env: { ...project.environment(), TF_IN_AUTOMATION: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += String(chunk)));
  child.stderr.on("data", (chunk) => (output += String(chunk)));
  const state = { ended: false };
  const exited = new Promise<void>((resolve) =>
    child.on("exit", () => {
      state.ended = true;
      resolve();
    }),
  );
  await Promise.race([when(state), exited]);
  const killed = !state.ended;
  if (killed) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // It ended between the check and the kill.
    }
  }
  await exited;
  // Provisioners in their own sessions would outlive the group; none here, but let sockets settle.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { killed, afterMs: Date.now() - started, output };
}

/** Resolves after `ms`, or once the apply ended. */
export function after(ms: number): (apply: { readonly ended: boolean }) => Promise<void> {
  return (apply) =>
    new Promise((resolve) => {
      const deadline = Date.now() + ms;
      const tick = () => (apply.ended || Date.now() >= deadline ? resolve() : setTimeout(tick, 10));
      tick();
    });
}

/** Resolves once `condition` holds (polled every 25 ms), or the apply ended, or `timeoutMs` passed. */
export function once(
  condition: () => Promise<boolean>,
  timeoutMs = 60_000,
): (apply: { readonly ended: boolean }) => Promise<void> {
  return async (apply) => {
    const deadline = Date.now() + timeoutMs;
    while (!apply.ended && Date.now() < deadline && !(await condition()))
      await new Promise((resolve) => setTimeout(resolve, 25));
  };
}

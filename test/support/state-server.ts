/**
 * A Terraform state backend for tests, served over HTTP by test/support/state-backend.cjs: each
 * write replaces a state whole, as S3 or Terraform Cloud do. The local backend does not: a SIGKILL
 * while it rewrites terraform.tfstate can leave the file empty (measured), which is a lost state,
 * not an interrupted apply.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface StateServer {
  /** The backend address for one state: `<url>/state/<name>`. */
  address(name: string): string;
  close(): Promise<void>;
}

export function startStateServer(): Promise<StateServer> {
  const child = spawn(process.execPath, [join(__dirname, "state-backend.cjs")], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the state server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (url) => {
      child.removeAllListeners("exit");
      resolve({
        address: (name) => `${url}/state/${encodeURIComponent(name)}`,
        close: () =>
          new Promise((done) => {
            child.once("exit", () => done());
            child.stdin!.end();
          }),
      });
    });
  });
}

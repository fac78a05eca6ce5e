/** Running the real terraform binary in tests, without network or user configuration. */
import { spawnSync } from "node:child_process";

export const TERRAFORM_ENV = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  TF_CLI_CONFIG_FILE: "/dev/null",
  TF_IN_AUTOMATION: "1",
};

export function terraform(dir: string, ...args: string[]): { status: number; output: string } {
  const result = spawnSync("terraform", args, { cwd: dir, env: TERRAFORM_ENV, encoding: "utf8" });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** `terraform init` (no providers are needed for terraform_data) then `terraform validate`. */
export function validate(dir: string): { status: number; output: string } {
  const init = terraform(dir, "init", "-backend=false", "-input=false", "-no-color");
  if (init.status !== 0) return init;
  return terraform(dir, "validate", "-no-color");
}

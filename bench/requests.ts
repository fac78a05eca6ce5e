/**
 * What redeploys ask of Polytomic, from the emulator's request log: an unchanged redeploy, the
 * update of one sync's mapping and the deletion of one sync, in `reconcile: "always"` (the
 * default) and then `"on-change"`, on a stack just deployed. Measured at two sizes by the caller,
 * which says whether each grows with N.
 */
import type { Emulator, Requests } from "./emulator";
import { countRequests } from "./emulator";
import type { Cost } from "./measure";
import type { Workspace } from "./stacks";

export interface Step {
  readonly requests: Requests;
  readonly provisioners: number;
  /** The deploy step's own cost, when it ran. */
  readonly cli?: Cost;
}

export interface Experiments {
  readonly unchanged: Step;
  readonly updateOne: Step;
  readonly deleteOne: Step;
  readonly onChangeUnchanged: Step;
  readonly onChangeUpdateOne: Step;
}

/** Synthesized stack directories of the variants, each differing from the step before by one object. */
export interface Variants {
  readonly editOne: string;
  /** Also edited, so that it differs from `editOne` by the deletion alone. */
  readonly dropOne: string;
  readonly onChange: string;
  readonly onChangeEditOne: string;
}

async function step(ours: Workspace, emulator: Emulator, stackDir?: string): Promise<Step> {
  if (stackDir) ours.useSynthesized(stackDir);
  const before = (await emulator.requests()).length;
  const applied = await ours.apply(emulator.url);
  if (/cdktf-polytomic \S+ failed/.test(applied.stdout))
    throw new Error(`a provisioner failed:\n${applied.stdout.slice(-3000)}`);
  const log = (await emulator.requests()).slice(before);
  return {
    requests: countRequests(log),
    provisioners: applied.provisioners,
    cli: applied.programs.find((p) => p.argv.includes("deploy")),
  };
}

/** Runs the redeploys in order on `ours`, just deployed against `emulator`. */
export async function runExperiments(
  ours: Workspace,
  emulator: Emulator,
  variants: Variants,
): Promise<Experiments> {
  const unchanged = await step(ours, emulator);
  const updateOne = await step(ours, emulator, variants.editOne);
  const deleteOne = await step(ours, emulator, variants.dropOne);
  // Switching to on-change brings the dropped sync back and replaces the deploy step once.
  await step(ours, emulator, variants.onChange);
  const onChangeUnchanged = await step(ours, emulator);
  const onChangeUpdateOne = await step(ours, emulator, variants.onChangeEditOne);
  return { unchanged, updateOne, deleteOne, onChangeUnchanged, onChangeUpdateOne };
}

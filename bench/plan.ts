/**
 * `terraform plan` of an unchanged stack (right after a deploy) against the floor's unchanged plan.
 * At 3000 objects the deploy is not timed: both states are seeded in chunks (stacks.ts) and the
 * last step, which creates our machinery and runs the real deploy step, is a real apply.
 */
import { rmSync } from "node:fs";
import type { Emulator } from "./emulator";
import type { Figure } from "./measure";
import { costFigures, figure, paired } from "./measure";
import {
  declarationSizes,
  FLOOR_RUNNER,
  floorConfig,
  objectResourceNames,
  readConfig,
  stateBreakdown,
  synthesize,
  Workspace,
} from "./stacks";
import type { TerraformConfig } from "./stacks";

/** Objects per chunk when seeding a state: small enough that the quadratic rewrites stay cheap. */
const SEED_CHUNK = 150;

export async function planFigures(
  objects: number,
  ours: Workspace,
  floor: Workspace,
  times: number,
): Promise<Figure[]> {
  const summary = { ours: "", floor: "" };
  const { value, floor: floorCost } = await paired(
    times,
    async () => {
      const plan = await ours.plan();
      summary.ours = plan.summary;
      return plan;
    },
    async () => {
      const plan = await floor.plan();
      summary.floor = plan.summary;
      return plan;
    },
  );
  return costFigures(
    `unchanged plan, ${objects} objects`,
    value,
    floorCost,
    { maxRatio: 1.5 },
    `ours: "${summary.ours}"${summary.ours.startsWith("Plan:") ? " (the deploy step is replaced on every apply)" : ""}; floor: "${summary.floor}"`,
  );
}

/** State size after a deploy, with what ours carries. */
export function stateFigure(objects: number, ours: Workspace, floor: Workspace): Figure {
  const parts = Object.entries(stateBreakdown(ours.state()))
    .map(([part, bytes]) => `${part} ${Math.round(bytes / 1024)} KiB`)
    .join(", ");
  return figure(
    `state after deploy, ${objects} objects`,
    "KiB",
    ours.stateBytes() / 1024,
    floor.stateBytes() / 1024,
    { maxRatio: 1.5 },
    parts,
  );
}

/** Seeds `workspace` with the objects of `config`, then applies the rest for real. */
async function deployed(
  objects: number,
  workspace: Workspace,
  config: TerraformConfig,
  emulator?: Emulator,
) {
  const names = objectResourceNames(config).filter((name) => name !== FLOOR_RUNNER);
  await workspace.seedState(config, names, SEED_CHUNK);
  if (emulator) await emulator.reset();
  const applied = await workspace.apply(emulator?.url);
  if (emulator && !applied.stdout.includes(`: ${objects} created,`))
    throw new Error(
      `the deploy of ${objects} objects did not create them:\n${applied.stdout.slice(-2000)}`,
    );
  return applied;
}

/**
 * At `objects` (3000): the unchanged plan and the state of ours against the floor's. The library's environment-size check refuses this stack though
 * it fits (RESULTS.md), so it is synthesized with that one error ignored.
 */
export async function planLarge(emulator: Emulator, objects: number): Promise<Figure[]> {
  const synthesized = await synthesize(objects, ["lift-env-check"]);
  const config = readConfig(synthesized.stackDir);
  const floorJson = floorConfig(declarationSizes(config));
  const ours = await Workspace.create(`ours-${objects}`, config, synthesized.stackDir);
  const floor = await Workspace.create(`floor-${objects}`, floorJson);
  try {
    const floorApply = await deployed(objects, floor, floorJson);
    // Ours last, so that the emulator holds its objects.
    const oursApply = await deployed(objects, ours, config, emulator);
    const figures = await planFigures(objects, ours, floor, 3);
    figures.push(stateFigure(objects, ours, floor));
    const cli = oursApply.programs.find((p) => p.argv.includes("deploy"));
    if (cli) {
      figures.push(
        figure(
          `deploy step (CLI) creating ${objects} objects: peak memory`,
          "MB",
          cli.maxRssKb / 1024,
          (floorApply.programs[0]?.maxRssKb ?? NaN) / 1024,
          undefined,
          `its own wall ${Math.round(cli.wallMs)} ms, CPU ${Math.round(cli.cpuMs)} ms (the states were seeded, this step is real); floor: the floor's node -e 0`,
        ),
      );
    }
    return figures;
  } finally {
    for (const workspace of [ours, floor]) workspace.remove();
    rmSync(synthesized.outdir, { recursive: true, force: true });
  }
}

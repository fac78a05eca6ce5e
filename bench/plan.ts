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
  floorConfig,
  objectResourceNames,
  readConfig,
  stateBreakdown,
  synthesize,
  Workspace,
} from "./stacks";

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

export async function plan3000(emulator: Emulator): Promise<Figure[]> {
  const objects = 3000;
  const synthesized = await synthesize(objects, ["lift-env-check"]);
  const config = readConfig(synthesized.stackDir);
  const floorJson = floorConfig(declarationSizes(config));
  const ours = await Workspace.create("ours-3000", config, synthesized.stackDir);
  const floor = await Workspace.create("floor-3000", floorJson);
  try {
    await ours.seedState(config, objectResourceNames(config), SEED_CHUNK);
    await floor.seedState(
      floorJson,
      objectResourceNames(floorJson).filter((n) => n !== "run"),
      SEED_CHUNK,
    );
    await emulator.reset();
    const deployed = await ours.apply(emulator.url);
    if (!/3000 created/.test(deployed.stdout))
      throw new Error(
        `the deploy of 3000 objects did not create them:\n${deployed.stdout.slice(-2000)}`,
      );
    const floorApply = await floor.apply();
    const cli = deployed.programs.find((p) => p.argv.includes("deploy"));
    const figures = await planFigures(objects, ours, floor, 3);
    figures.push(stateFigure(objects, ours, floor));
    if (cli) {
      figures.push(
        figure(
          "deploy step (CLI) creating 3000 objects: peak memory",
          "MB",
          cli.maxRssKb / 1024,
          (floorApply.programs[0]?.maxRssKb ?? NaN) / 1024,
          undefined,
          `its own wall ${Math.round(cli.wallMs)} ms, CPU ${Math.round(cli.cpuMs)} ms (informative; the 3000 states were seeded, this step is real)`,
        ),
      );
    }
    return figures;
  } finally {
    ours.remove();
    floor.remove();
    rmSync(synthesized.outdir, { recursive: true, force: true });
  }
}

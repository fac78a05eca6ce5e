/**
 * `terraform apply` from empty of our synthesized stack against the emulator, at 112 and 1000
 * objects and 0 and 50 ms added latency, against the floor (stacks.ts) applied in the same run,
 * alternated with it. On the stacks just deployed: state sizes, unchanged plans, the deploy step's
 * peak memory and the API requests of create, update, deletion and unchanged redeploys.
 */
import { rmSync } from "node:fs";
import { shape } from "./shape.cjs";
import type { Emulator, Requests } from "./emulator";
import { countRequests, describeRequests } from "./emulator";
import type { Cost, Figure } from "./measure";
import { costFigures, countFigure, figure, median, medianCost, round } from "./measure";
import { planFigures, stateFigure } from "./plan";
import type { Experiments, Step, Variants } from "./requests";
import { runExperiments } from "./requests";
import type { Variant } from "./stacks";
import { declarationSizes, floorConfig, readConfig, synthesize, Workspace } from "./stacks";

const SIZES = [112, 1000] as const;
const LATENCIES = [50, 0] as const;

/**
 * Applies of each contender per figure. At 1000 objects one apply takes one to two minutes (the
 * local backend rewrites the state after every change), so fewer; quick runs take one each and
 * skip 1000 objects at +50 ms.
 */
function repetitions(objects: number, latency: number, quick: boolean): number {
  if (quick) return objects >= 1000 && latency > 0 ? 0 : 1;
  if (objects < 1000) return 3;
  return latency > 0 ? 1 : 2;
}

interface Contender {
  readonly workspace: Workspace;
  readonly costs: Cost[];
  readonly programs: Cost[];
}

function contender(workspace: Workspace): Contender {
  return { workspace, costs: [], programs: [] };
}

/** Applies `who` from an empty state (and an empty emulator); records its costs. */
async function deployOnce(who: Contender, objects: number, emulator?: Emulator): Promise<number> {
  who.workspace.clearState();
  let emulatorCpu = 0;
  if (emulator) {
    await emulator.reset();
    emulatorCpu = emulator.cpuMs();
  }
  const applied = await who.workspace.apply(emulator?.url);
  if (emulator && !new RegExp(`: ${objects} created,`).test(applied.stdout))
    throw new Error(
      `the deploy did not create ${objects} objects:\n${applied.stdout.slice(-3000)}`,
    );
  who.costs.push(applied.cost);
  const program = emulator
    ? applied.programs.find((p) => p.argv.includes("deploy"))
    : applied.programs[0];
  if (program) who.programs.push(program);
  return emulator ? emulator.cpuMs() - emulatorCpu : 0;
}

function describeProgram(programs: readonly Cost[], what: string): string {
  const cost = medianCost(programs);
  return `${what} ${Math.round(cost.wallMs)} ms wall, ${Math.round(cost.cpuMs)} ms CPU of it`;
}

interface SizeResult {
  readonly figures: Figure[];
  readonly experiments: Experiments;
}

async function synthesizeVariants(objects: number): Promise<{ dirs: Variants; outdirs: string[] }> {
  const made: Record<string, Variant[]> = {
    editOne: ["edit-one"],
    // After the update: only the deletion differs.
    dropOne: ["edit-one", "drop-one"],
    onChange: ["on-change"],
    onChangeEditOne: ["on-change", "edit-one"],
  };
  const dirs: Record<string, string> = {};
  const outdirs: string[] = [];
  for (const [key, variants] of Object.entries(made)) {
    const synthesized = await synthesize(objects, variants);
    dirs[key] = synthesized.stackDir;
    outdirs.push(synthesized.outdir);
  }
  return { dirs: dirs as unknown as Variants, outdirs };
}

async function size(
  objects: number,
  emulators: Record<number, Emulator>,
  quick: boolean,
): Promise<SizeResult> {
  const base = await synthesize(objects);
  const config = readConfig(base.stackDir);
  const ours = contender(await Workspace.create(`ours-${objects}`, config, base.stackDir));
  const floor = contender(
    await Workspace.create(`floor-${objects}`, floorConfig(declarationSizes(config))),
  );
  const variants = await synthesizeVariants(objects);
  const figures: Figure[] = [];
  try {
    let createLog: Requests = countRequests([]);
    for (const latency of LATENCIES) {
      const times = repetitions(objects, latency, quick);
      if (times === 0) continue;
      const emulator = emulators[latency];
      for (const who of [ours, floor]) {
        who.costs.length = 0;
        who.programs.length = 0;
      }
      const emulatorCpu: number[] = [];
      for (let i = 0; i < times; i += 1) {
        await deployOnce(floor, objects);
        // Ours last: the emulator then holds ours' objects for the redeploys below.
        emulatorCpu.push(await deployOnce(ours, objects, emulator));
      }
      if (latency === 0) createLog = countRequests(await emulator.requests());
      const floorCost = medianCost(floor.costs);
      figures.push(
        ...costFigures(
          `deploy ${objects} objects, +${latency} ms`,
          medianCost(ours.costs),
          floorCost,
          { maxRatio: 1.3 },
          `${describeProgram(ours.programs, "deploy step")}; emulator ${Math.round(median(emulatorCpu))} ms CPU (not counted)`,
        ),
      );
      if (latency > 0) continue;
      figures.push(
        figure(
          `deploy step (CLI) creating ${objects} objects: peak memory`,
          "MB",
          medianCost(ours.programs).maxRssKb / 1024,
          medianCost(floor.programs).maxRssKb / 1024,
          undefined,
          "floor: the floor's node -e 0",
        ),
      );
    }
    figures.push(
      countFigure(
        `create ${objects} objects: API requests per object`,
        createLog.total / objects,
        1,
        { max: 1.2 },
        describeRequests(createLog),
      ),
    );
    figures.push(stateFigure(objects, ours.workspace, floor.workspace));
    figures.push(...(await planFigures(objects, ours.workspace, floor.workspace, quick ? 1 : 3)));
    const experiments = await runExperiments(ours.workspace, emulators[0], variants.dirs);
    return { figures, experiments };
  } finally {
    for (const who of [ours, floor]) who.workspace.remove();
    for (const dir of [base.outdir, ...variants.outdirs])
      rmSync(dir, { recursive: true, force: true });
  }
}

/** What a redeploy must stay within, judged on its step. */
type Bound = (objects: number, step: Step) => { readonly text: string; readonly met: boolean };

/** The figures of one redeploy at both sizes, and whether its requests grow with N. */
function stepFigures(title: string, steps: readonly [number, Step][], bound?: Bound): Figure[] {
  const figures: Figure[] = steps.map(([objects, step]) => {
    const judged = bound?.(objects, step);
    return {
      name: `${title}, ${objects} objects: API requests`,
      value: step.requests.total,
      unit: "count",
      floor: 0,
      ratio: 0,
      ...(judged ? { target: judged.text, met: judged.met } : {}),
      note: `${describeRequests(step.requests)}, ${step.provisioners} provisioner run(s)${step.cli ? `; deploy step ${Math.round(step.cli.wallMs)} ms wall, ${Math.round(step.cli.cpuMs)} ms CPU` : ""}`,
    };
  });
  const [small, first] = steps[0];
  const [large, last] = steps[steps.length - 1];
  const grows = (a: number, b: number) => (b > a ? "grow with N" : "O(1)");
  const growth = round(last.requests.total / Math.max(1, first.requests.total), 2);
  figures.push({
    name: `${title}: requests at ${large} / at ${small} objects`,
    value: growth,
    unit: "x",
    floor: 1,
    ratio: growth,
    note: `writes ${first.requests.writes} -> ${last.requests.writes} (${grows(first.requests.writes, last.requests.writes)}); reads ${first.requests.reads} -> ${last.requests.reads} (${grows(first.requests.reads, last.requests.reads)})`,
  });
  return figures;
}

/**
 * An unchanged redeploy writes nothing and reads at most one per sync plus the list pages (50 per
 * page: connections, models and syncs).
 */
const unchangedBound: Bound = (objects, step) => {
  const { connections, models, syncs } = shape(objects);
  const pages = (count: number) => Math.max(1, Math.ceil(count / 50));
  const max = syncs + pages(connections) + pages(models) + pages(syncs);
  return {
    text: `0 writes, reads <= ${max} (syncs + list pages)`,
    met: step.requests.writes === 0 && step.requests.reads <= max,
  };
};

const nothingBound: Bound = (_objects, step) => ({
  text: "no request, no provisioner",
  met: step.requests.total === 0 && step.provisioners === 0,
});

export async function deployBenchmarks(
  quick: boolean,
  emulators: Record<number, Emulator>,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const experiments: [number, Experiments][] = [];
  for (const objects of SIZES) {
    const result = await size(objects, emulators, quick);
    figures.push(...result.figures);
    experiments.push([objects, result.experiments]);
  }
  const of = (key: keyof Experiments) => experiments.map(([n, e]) => [n, e[key]] as [number, Step]);
  figures.push(...stepFigures("unchanged redeploy", of("unchanged"), unchangedBound));
  figures.push(...stepFigures("update one sync", of("updateOne")));
  figures.push(...stepFigures("delete one sync", of("deleteOne")));
  figures.push(
    ...stepFigures("on-change: unchanged redeploy", of("onChangeUnchanged"), nothingBound),
  );
  figures.push(...stepFigures("on-change: update one sync", of("onChangeUpdateOne")));
  return figures;
}

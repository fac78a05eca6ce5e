/**
 * Synth of stacks with N syncs (N/10 models, 2 connections) against a floor stack of as many bare
 * terraform_data resources carrying provisioners of the same size: wall time and peak memory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import type { Figure } from "./measure";
import { figure, median, mustRun, round } from "./measure";

const APP = join(__dirname, "synth-app.cjs");

/**
 * The library's terraform_data class alone, for the floor: the package ships it only inside its
 * bundle, and loading the whole library would charge the floor with our own start-up.
 */
function floorModule(): string {
  // Inside the repository, so that it loads the same cdktf as the app does.
  const outfile = join(__dirname, "..", "node_modules", ".cache", "bench", "terraform-data.cjs");
  buildSync({
    entryPoints: [join(__dirname, "..", "lib", "constructs", "terraform-data.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    packages: "external",
    logLevel: "warning",
  });
  return outfile;
}

/** Built on first use. */
let floorEnv: NodeJS.ProcessEnv | undefined;

interface Sample {
  ms: number;
  maxRssKb: number;
}

async function synthOnce(
  mode: "polytomic" | "floor" | "floor-cdktf",
  syncs: number,
  sizesFile?: string,
): Promise<Sample & { outdir: string }> {
  const outdir = mkdtempSync(join(tmpdir(), `bench-synth-${mode}-`));
  const result = await mustRun(
    process.execPath,
    [APP, mode, String(syncs), outdir, ...(sizesFile ? [sizesFile] : [])],
    { env: (floorEnv ??= { ...process.env, BENCH_TERRAFORM_DATA: floorModule() }) },
  );
  return { ms: result.ms, maxRssKb: JSON.parse(result.stdout).maxRssKb, outdir };
}

/** The size of every synthesized resource, so the floor carries as much configuration. */
function resourceSizes(outdir: string): number[] {
  const config = JSON.parse(readFileSync(join(outdir, "stacks", "bench", "cdk.tf.json"), "utf8"));
  return Object.values(config.resource.terraform_data as Record<string, unknown>).map(
    (resource) => JSON.stringify(resource).length,
  );
}

/**
 * For the record: the floor again, built with cdktf's DataResource, whose per-resource
 * `terraform version` check the library avoids. Measured at N = 100 only, it is that slow.
 */
async function cdktfDataResourceFigure(): Promise<Figure> {
  const first = await synthOnce("polytomic", 100);
  const sizesFile = join(first.outdir, "sizes.json");
  writeFileSync(sizesFile, JSON.stringify(resourceSizes(first.outdir)));
  const floor = await synthOnce("floor", 100, sizesFile);
  const cdktf = await synthOnce("floor-cdktf", 100, sizesFile);
  for (const dir of [first.outdir, floor.outdir, cdktf.outdir])
    rmSync(dir, { recursive: true, force: true });
  return figure(
    "synth N=100 floor built with cdktf's DataResource (informative)",
    "ms",
    cdktf.ms,
    floor.ms,
    undefined,
    "cdktf's DataResource spawns `terraform version` once per resource; the library's terraform_data does not",
  );
}

export async function synthBenchmarks(quick: boolean): Promise<Figure[]> {
  const figures: Figure[] = [];
  const walls: Record<number, number> = {};
  for (const syncs of [10, 100, 1000]) {
    const first = await synthOnce("polytomic", syncs);
    const sizesFile = join(first.outdir, "sizes.json");
    writeFileSync(sizesFile, JSON.stringify(resourceSizes(first.outdir)));
    const ours: Sample[] = [];
    const floor: Sample[] = [];
    const times = quick ? 1 : syncs === 1000 ? 3 : 5;
    for (let i = 0; i < times; i += 1) {
      const f = await synthOnce("floor", syncs, sizesFile);
      floor.push(f);
      rmSync(f.outdir, { recursive: true, force: true });
      const o = await synthOnce("polytomic", syncs);
      ours.push(o);
      rmSync(o.outdir, { recursive: true, force: true });
    }
    rmSync(first.outdir, { recursive: true, force: true });
    const wall = median(ours.map((s) => s.ms));
    walls[syncs] = wall;
    const target = syncs === 1000 ? { maxRatio: 1.5 } : undefined;
    figures.push(
      figure(`synth N=${syncs}: wall time`, "ms", wall, median(floor.map((s) => s.ms)), target),
    );
    figures.push(
      figure(
        `synth N=${syncs}: peak memory`,
        "MB",
        median(ours.map((s) => s.maxRssKb)) / 1024,
        median(floor.map((s) => s.maxRssKb)) / 1024,
        target,
      ),
    );
  }
  if (!quick) figures.push(await cdktfDataResourceFigure());
  const growth = walls[1000] / walls[100];
  figures.push({
    name: "synth growth: wall(N=1000) / wall(N=100)",
    value: round(growth, 2),
    unit: "x",
    floor: 10,
    ratio: round(growth / 10, 2),
    target: "value <= 12",
    met: growth <= 12,
  });
  return figures;
}

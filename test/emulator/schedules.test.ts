/**
 * Schedules: `GET /api/syncs/schedules`, activating and deactivating a sync, the next run time of
 * each frequency, and scheduled executions — which happen only with `runSchedules`
 * (`--run-schedules`), so that every other test stays deterministic.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { nextRunTime } from "../../lib/emulator/executions/next-run";
import type { ScheduleRecord } from "../../lib/emulator/records";
import { seedSync, TestEmulator } from "./helpers";

describe("next run times (UTC)", () => {
  const at = (iso: string) => new Date(iso);
  const next = (schedule: ScheduleRecord, after: string) =>
    nextRunTime(schedule, at(after))?.toISOString();

  test.each([
    [{ frequency: "hourly", minute: "15" }, "2025-01-01T10:20:00Z", "2025-01-01T11:15:00.000Z"],
    [{ frequency: "hourly", minute: "15" }, "2025-01-01T10:14:59Z", "2025-01-01T10:15:00.000Z"],
    [
      { frequency: "daily", hour: "5", minute: "30" },
      "2025-01-01T05:30:00Z",
      "2025-01-02T05:30:00.000Z",
    ],
    // 2025-01-01 is a Wednesday.
    [
      { frequency: "weekly", day_of_week: "1", hour: "9", minute: "0" },
      "2025-01-01T00:00:00Z",
      "2025-01-06T09:00:00.000Z",
    ],
    [
      { frequency: "weekly", day_of_week: "friday", hour: "9", minute: "0" },
      "2025-01-01T00:00:00Z",
      "2025-01-03T09:00:00.000Z",
    ],
    [
      {
        frequency: "custom",
        minute: "*/20",
        hour: "8-9",
        day_of_month: "*",
        month: "2",
        day_of_week: "*",
      },
      "2025-01-15T00:00:00Z",
      "2025-02-01T08:00:00.000Z",
    ],
    [
      {
        frequency: "custom",
        minute: "0",
        hour: "0",
        day_of_month: "29",
        month: "2",
        day_of_week: "*",
      },
      "2025-03-01T00:00:00Z",
      "2028-02-29T00:00:00.000Z",
    ],
  ])("%j after %s runs at %s", (schedule, after, expected) => {
    expect(next(schedule as ScheduleRecord, after)).toBe(expected);
  });

  test("a cron that never matches has no next run", () => {
    const never = {
      frequency: "custom",
      minute: "0",
      hour: "0",
      day_of_month: "31",
      month: "2",
      day_of_week: "*",
    };
    expect(nextRunTime(never, new Date())).toBeUndefined();
  });

  test("manual, continuous and runafter have no clock time", () => {
    for (const frequency of ["manual", "continuous", "runafter"]) {
      expect(nextRunTime({ frequency }, new Date())).toBeUndefined();
    }
  });
});

describe("the schedule options and activation", () => {
  let emu: TestEmulator;

  beforeAll(async () => {
    emu = await TestEmulator.start();
  });

  afterAll(() => emu.close());

  test("GET /api/syncs/schedules lists each frequency with a JSON-Schema form of its settings", async () => {
    const reply = await emu.ok("GET", "/api/syncs/schedules");
    const options = reply.json.data.schedule_options;
    expect(options.map((option: { frequency: string }) => option.frequency)).toEqual([
      "manual",
      "continuous",
      "hourly",
      "daily",
      "weekly",
      "custom",
      "runafter",
    ]);
    const daily = options.find((option: { frequency: string }) => option.frequency === "daily");
    expect(daily).toEqual({
      frequency: "daily",
      label: "Daily",
      description: expect.any(String),
      configuration: expect.objectContaining({ type: "object", required: ["hour", "minute"] }),
    });
  });

  test("activate turns a sync on and off, answering {id, active}", async () => {
    const { model, salesforce } = await emu.seed();
    const sync = (await emu.ok("POST", "/api/syncs", { body: seedSync(model.id, salesforce) })).json
      .data;
    expect(sync.active).toBe(false);
    const on = await emu.ok("POST", `/api/syncs/${sync.id}/activate`, { body: { active: true } });
    expect(on.json.data).toEqual({ id: sync.id, active: true });
    expect((await emu.ok("GET", `/api/syncs/${sync.id}`)).json.data.active).toBe(true);
    const refused = await emu.call("POST", `/api/syncs/${sync.id}/activate`, {
      body: { active: "no" },
    });
    expect(refused.status).toBe(400);
    expect((await emu.call("POST", `/api/syncs/${sync.id}/activate`, { body: {} })).status).toBe(
      400,
    );
  });

  test("without runSchedules an active continuous sync never runs by itself", async () => {
    const { model, salesforce } = await emu.seed();
    const sync = (
      await emu.ok("POST", "/api/syncs", {
        body: { ...seedSync(model.id, salesforce), active: true },
      })
    ).json.data;
    await sleep(1500);
    expect((await emu.ok("GET", `/api/syncs/${sync.id}/executions`)).json.data).toEqual([]);
    expect((await emu.ok("GET", `/api/syncs/${sync.id}/status`)).json.data).toEqual({});
  });
});

describe("with runSchedules", () => {
  let emu: TestEmulator;

  beforeAll(async () => {
    emu = await TestEmulator.start({ runSchedules: true });
  });

  afterAll(() => emu.close());

  async function executions(syncId: string) {
    return (await emu.ok("GET", `/api/syncs/${syncId}/executions`)).json.data;
  }

  async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const value = await probe();
      if (value !== undefined) return value;
      await sleep(50);
    }
    throw new Error("timed out");
  }

  test("an active continuous sync runs by itself; an inactive one does not", async () => {
    const { model, salesforce } = await emu.seed();
    const active = (
      await emu.ok("POST", "/api/syncs", {
        body: { ...seedSync(model.id, salesforce), active: true },
      })
    ).json.data;
    const inactive = (
      await emu.ok("POST", "/api/syncs", {
        body: { ...seedSync(model.id, salesforce), name: "Off", active: false },
      })
    ).json.data;
    const [run] = await until(async () => {
      const list = await executions(active.id);
      return list.length > 0 && list[0].status === "completed" ? list : undefined;
    });
    expect(run.type).toBe("scheduled");
    expect(run.counts.insert).toBeGreaterThan(0);
    expect(await executions(inactive.id)).toEqual([]);
  });

  test("a clock schedule reports its next run; runafter follows the syncs it names", async () => {
    const { model, salesforce } = await emu.seed();
    const daily = (
      await emu.ok("POST", "/api/syncs", {
        body: {
          ...seedSync(model.id, salesforce),
          name: "Daily",
          active: true,
          schedule: { frequency: "daily", hour: "3", minute: "0" },
        },
      })
    ).json.data;
    const status = (await emu.ok("GET", `/api/syncs/${daily.id}/status`)).json.data;
    expect(status.next_execution_time).toMatch(/T03:00:00\.000Z$/);
    expect(new Date(status.next_execution_time).getTime()).toBeGreaterThan(Date.now());
    const follower = (
      await emu.ok("POST", "/api/syncs", {
        body: {
          ...seedSync(model.id, salesforce),
          name: "Follower",
          active: true,
          schedule: { frequency: "runafter", run_after: { sync_ids: [daily.id] } },
        },
      })
    ).json.data;
    expect(await executions(follower.id)).toEqual([]);
    const started = (await emu.ok("POST", `/api/syncs/${daily.id}/executions`, { body: {} })).json
      .data;
    const [followed] = await until(async () => {
      const list = await executions(follower.id);
      return list.length > 0 ? list : undefined;
    });
    expect(followed.type).toBe("scheduled");
    expect(new Date(followed.created_at).getTime()).toBeGreaterThanOrEqual(
      new Date(started.created_at).getTime(),
    );
    // A test execution of the followed sync does not trigger it.
    await until(async () => {
      const list = await executions(follower.id);
      return list.every((execution: { status: string }) => execution.status === "completed")
        ? true
        : undefined;
    });
    const count = (await executions(follower.id)).length;
    const test = (
      await emu.ok("POST", `/api/syncs/${daily.id}/executions`, { body: { test: true } })
    ).json.data;
    await until(async () => {
      const execution = (await emu.ok("GET", `/api/syncs/${daily.id}/executions/${test.id}`)).json
        .data;
      return execution.status === "completed" ? execution : undefined;
    });
    await sleep(200);
    expect(await executions(follower.id)).toHaveLength(count);
  });
});

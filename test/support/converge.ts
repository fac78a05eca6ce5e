/**
 * "Converged": every object a stack declares exists exactly once in Polytomic with the declared
 * values, and nothing else exists. Returns the problems found, so tests can print them all.
 */
import type { AnyJson, Emulator, StackDescription } from "./e2e";
import { inventory } from "./e2e";

function apiSchedule(schedule: Record<string, unknown>): Record<string, string> {
  const names: Record<string, string> = { dayOfWeek: "day_of_week", dayOfMonth: "day_of_month" };
  return Object.fromEntries(
    Object.entries(schedule).map(([key, value]) => [names[key] ?? key, String(value)]),
  );
}

export async function convergenceProblems(
  emulator: Emulator,
  description: StackDescription,
): Promise<string[]> {
  const { connections, models, syncs } = await inventory(emulator);
  const problems: string[] = [];
  const byName = (kind: string, items: AnyJson[], name: string): AnyJson | undefined => {
    const found = items.filter((item) => item.name === name);
    if (found.length !== 1)
      problems.push(`${kind} ${JSON.stringify(name)} exists ${found.length} times`);
    return found[0];
  };
  const declared = {
    connections: new Set((description.connections ?? []).map((c) => c.props.name)),
    models: new Set((description.models ?? []).map((m) => m.props.name)),
    syncs: new Set((description.syncs ?? []).map((s) => s.props.name)),
  };
  for (const [kind, items] of Object.entries({ connections, models, syncs })) {
    for (const item of items as AnyJson[]) {
      if (!declared[kind as keyof typeof declared].has(item.name))
        problems.push(`undeclared ${kind} ${JSON.stringify(item.name)} (id ${item.id})`);
    }
  }
  const connectionIds = new Map<string, string>();
  for (const connection of description.connections ?? []) {
    const found = byName("connection", connections, connection.props.name as string);
    if (!found) continue;
    connectionIds.set(connection.id, found.id);
    if (found.type?.id !== connection.type)
      problems.push(`connection ${found.name} has type ${found.type?.id}`);
    for (const [key, value] of Object.entries(connection.props)) {
      if (["name", "adoptExisting"].includes(key) || typeof value === "object") continue;
      if (found.configuration?.[key] !== value)
        problems.push(
          `connection ${found.name}: ${key} is ${JSON.stringify(found.configuration?.[key])}, declared ${JSON.stringify(value)}`,
        );
    }
  }
  const modelIds = new Map<string, string>();
  for (const model of description.models ?? []) {
    const found = byName("model", models, model.props.name as string);
    if (!found) continue;
    modelIds.set(model.id, found.id);
    if (found.connection_id !== connectionIds.get(model.connection))
      problems.push(`model ${found.name} is on the wrong connection`);
    if (found.configuration?.query !== model.props.query)
      problems.push(`model ${found.name} has query ${JSON.stringify(found.configuration?.query)}`);
  }
  for (const sync of description.syncs ?? []) {
    const found = byName("sync", syncs, sync.props.name as string);
    if (!found) continue;
    const modelId = modelIds.get(sync.model);
    const props = sync.props as AnyJson;
    const expected = {
      mode: props.mode,
      target: {
        connection_id: connectionIds.get(sync.target.connection),
        object: sync.target.object,
      },
      identity: {
        source: { model_id: modelId, field: props.identity.source },
        target: props.identity.target,
        function: props.identity.function ?? "Equality",
      },
      fields: props.fields.map((f: AnyJson) => ({
        source: { model_id: modelId, field: f.source },
        target: f.target,
      })),
      schedule: apiSchedule(props.schedule),
      active: props.active ?? true,
    };
    const actual = {
      mode: found.mode,
      target: { connection_id: found.target?.connection_id, object: found.target?.object },
      identity: {
        source: found.identity?.source,
        target: found.identity?.target,
        function: found.identity?.function,
      },
      fields: (found.fields ?? []).map((f: AnyJson) => ({ source: f.source, target: f.target })),
      schedule: found.schedule,
      active: found.active,
    };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(
        `sync ${found.name} holds ${JSON.stringify(actual)}, declared ${JSON.stringify(expected)}`,
      );
    }
  }
  return problems;
}

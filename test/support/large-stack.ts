/**
 * Generated stacks of many objects (for fault and load tests and the benchmarks): Snowflake
 * connections with query models, and syncs into Salesforce Contact, Lead and Account.
 */
import type { StackDescription } from "./e2e";

export interface StackSize {
  readonly snowflake: number;
  readonly salesforce: number;
  readonly models: number;
  readonly syncs: number;
}

const COLUMNS = "id, email, first_name, last_name, plan, company, website";

/** Target object, identity and mappings, cycled through by the syncs. */
const TARGETS = [
  {
    object: "Contact",
    identity: { source: "email", target: "Email" },
    fields: [
      { source: "first_name", target: "FirstName" },
      { source: "last_name", target: "LastName" },
      { source: "plan", target: "Title" },
    ],
  },
  {
    object: "Lead",
    identity: { source: "email", target: "Email" },
    fields: [
      { source: "last_name", target: "LastName" },
      { source: "company", target: "Company" },
    ],
  },
  {
    object: "Account",
    identity: { source: "website", target: "Website", function: "DomainMatch" },
    fields: [{ source: "company", target: "Name" }],
  },
] as const;

function schedule(index: number): Record<string, unknown> {
  switch (index % 4) {
    case 0:
      return { frequency: "daily", hour: index % 24, minute: (index * 7) % 60 };
    case 1:
      return { frequency: "hourly", minute: (index * 11) % 60 };
    case 2:
      return { frequency: "weekly", dayOfWeek: index % 7, hour: 6, minute: 30 };
    default:
      return { frequency: "continuous" };
  }
}

export function largeStack(stack: string, size: StackSize): StackDescription {
  const snowflake = Array.from({ length: size.snowflake }, (_, i) => ({
    id: `Snowflake${i}`,
    type: "snowflake" as const,
    props: {
      name: `Warehouse ${i}`,
      account: "uc193736182",
      username: `loader_${i}`,
      dbname: "analytics",
      warehouse: "transforming",
      password: { secretEnv: "SNOWFLAKE_PASSWORD" },
    },
  }));
  const salesforce = Array.from({ length: size.salesforce }, (_, i) => ({
    id: `Salesforce${i}`,
    type: "salesforce" as const,
    props: { name: `CRM ${i}`, domain: `crm${i}.my.salesforce.com` },
  }));
  const models = Array.from({ length: size.models }, (_, i) => ({
    id: `Model${i}`,
    connection: snowflake[i % size.snowflake].id,
    props: {
      name: `Users region ${i}`,
      query: `SELECT ${COLUMNS} FROM users WHERE region = 'r${i}'`,
      identifier: "id",
    },
  }));
  const syncs = Array.from({ length: size.syncs }, (_, i) => {
    const target = TARGETS[i % TARGETS.length];
    return {
      id: `Sync${i}`,
      model: models[i % size.models].id,
      target: { connection: salesforce[i % size.salesforce].id, object: target.object },
      props: {
        name: `Sync ${i} to ${target.object}`,
        mode: "updateOrCreate",
        identity: { ...target.identity },
        fields: target.fields.map((field) => ({ ...field })),
        schedule: schedule(i),
      },
    };
  });
  return { stack, connections: [...snowflake, ...salesforce], models, syncs };
}

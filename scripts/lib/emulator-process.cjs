// Starting the bundled emulator as a child process and reading back what it holds; shared by the
// demo and the benchmarks.
const { spawn } = require("node:child_process");
const { join } = require("node:path");
const { createInterface } = require("node:readline");

/** Starts `dist/cli.cjs emulator --port 0 ...args`; resolves once it prints its URL. */
function startEmulatorProcess(root, args) {
  const child = spawn(
    process.execPath,
    [join(root, "dist/cli.cjs"), "emulator", "--port", "0", ...args],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    child.on("exit", (status) =>
      reject(new Error(`the emulator exited with code ${status} before listening`)),
    );
    lines.once("line", (line) => {
      const url = /http:\/\/[^\s]+/.exec(line)?.[0];
      if (!url) {
        child.kill();
        reject(new Error(`unexpected first line from the emulator: ${line}`));
        return;
      }
      lines.on("line", () => {});
      resolve({
        url,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners("exit");
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

async function get(url, apiKey, path) {
  const response = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return (await response.json()).data;
}

function describeSchedule(schedule = {}) {
  const { frequency, ...rest } = schedule;
  const parts = Object.entries(rest).map(([key, value]) => `${key} ${JSON.stringify(value)}`);
  return parts.length ? `${frequency} (${parts.join(", ")})` : frequency;
}

/** A short readable account of the connections, models and syncs the emulator holds. */
async function summarise(url, apiKey) {
  const connections = await get(url, apiKey, "/api/connections");
  const models = await get(url, apiKey, "/api/models");
  const listed = await get(url, apiKey, "/api/syncs");
  const syncs = await Promise.all(listed.map((item) => get(url, apiKey, `/api/syncs/${item.id}`)));
  const names = new Map([...connections, ...models].map((object) => [object.id, object.name]));
  const lines = ["Connections:"];
  for (const c of connections) lines.push(`  ${c.name}  [${c.type?.id}, ${c.status}]  id ${c.id}`);
  lines.push("Models:");
  for (const m of models) {
    lines.push(`  ${m.name}  on ${names.get(m.connection_id)}  id ${m.id}`);
    lines.push(`    fields: ${(m.fields ?? []).map((field) => field.name).join(", ")}`);
  }
  lines.push("Syncs:");
  for (const s of syncs) {
    lines.push(`  ${s.name}  id ${s.id}`);
    lines.push(
      `    ${s.mode} into ${names.get(s.target?.connection_id)} / ${s.target?.object}, schedule ${describeSchedule(s.schedule)}, active ${s.active}`,
    );
    if (s.identity)
      lines.push(
        `    match ${s.identity.source?.field} ${s.identity.function} ${s.identity.target}`,
      );
    for (const f of s.fields ?? [])
      lines.push(`    map   ${f.source?.field ?? JSON.stringify(f.override_value)} -> ${f.target}`);
  }
  return lines.join("\n");
}

/**
 * What the emulated Salesforce holds in `object` (read through the emulator's test route): how
 * many records, and the first few.
 */
async function salesforceRecords(url, domain, object, shown = 5) {
  const response = await fetch(
    `${url}/emulator/salesforce/${encodeURIComponent(domain)}/${object}`,
  );
  if (!response.ok)
    throw new Error(`GET /emulator/salesforce/${domain}/${object} answered ${response.status}`);
  const { records } = await response.json();
  const lines = [
    `Salesforce ${object} now holds ${records.length} record(s); the first ${Math.min(shown, records.length)}:`,
  ];
  for (const record of records.slice(0, shown)) {
    lines.push(
      `  ${record.Id}  ${record.FirstName ?? ""} ${record.LastName}  <${record.Email ?? ""}>`,
    );
  }
  return lines.join("\n");
}

module.exports = { startEmulatorProcess, summarise, salesforceRecords };

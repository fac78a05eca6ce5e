/**
 * Requests per second the emulator serves for `GET /api/syncs/{id}` over 10 concurrent
 * connections, against a floor: a bare node:http server answering the same bytes, alternated in
 * one-second windows and medians taken. Tests use this to know their headroom.
 */
import { join } from "node:path";
import { Pool } from "undici";
import { startEmulatorProcess } from "../scripts/lib/emulator-process.cjs";
import type { Figure } from "./measure";
import { median, round } from "./measure";
import { spawn } from "node:child_process";

const ROOT = join(__dirname, "..");
const API_KEY = "bench-throughput-key-0123";
const CONNECTIONS = 10;

async function post(url: string, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { data: { id: string } }).data;
}

/** A sync to read, created the way a deploy would. */
async function seed(url: string): Promise<string> {
  const snowflake = await post(url, "/api/connections", {
    name: "Warehouse",
    type: "snowflake",
    configuration: { account: "acct", username: "u", dbname: "d", password: "p" },
  });
  const salesforce = await post(url, "/api/connections", {
    name: "CRM",
    type: "salesforce",
    configuration: { domain: "crm.my.salesforce.com" },
  });
  const model = await post(url, "/api/models", {
    name: "Users",
    connection_id: snowflake.id,
    configuration: { query: "SELECT email, first_name FROM users" },
  });
  const sync = await post(url, "/api/syncs", {
    name: "Contacts",
    mode: "updateOrCreate",
    active: true,
    identity: {
      source: { model_id: model.id, field: "email" },
      target: "Email",
      function: "Equality",
    },
    fields: [{ source: { model_id: model.id, field: "first_name" }, target: "FirstName" }],
    schedule: { frequency: "daily", hour: "4", minute: "30" },
    target: { connection_id: salesforce.id, object: "Contact" },
  });
  return sync.id;
}

/** Completed requests per second with `CONNECTIONS` requests always in flight. */
async function load(origin: string, path: string, seconds: number): Promise<number> {
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  const deadline = Date.now() + seconds * 1000;
  let completed = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const response = await pool.request({
        method: "GET",
        path,
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      await response.body.dump();
      if (response.statusCode !== 200)
        throw new Error(`GET ${path} answered ${response.statusCode}`);
      completed += 1;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (Date.now() - started) / 1000;
  await pool.close();
  return completed / elapsed;
}

/** A node:http server in its own process answering every request with `body`. */
function staticServer(body: string): Promise<{ origin: string; stop: () => void }> {
  const script = `const b=${JSON.stringify(body)};require("node:http").createServer((q,s)=>{q.resume();s.writeHead(200,{"content-type":"application/json","content-length":Buffer.byteLength(b)});s.end(b)}).listen(0,"127.0.0.1",function(){console.log("http://127.0.0.1:"+this.address().port)})`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve) =>
    child.stdout.once("data", (chunk) =>
      resolve({ origin: String(chunk).trim(), stop: () => child.kill() }),
    ),
  );
}

export async function emulatorThroughput(quick: boolean): Promise<Figure[]> {
  // Windows of one second, alternated, so that both servers see the same load from other work.
  const windows = quick ? 3 : 7;
  const emulator = await startEmulatorProcess(ROOT, [
    "--api-key",
    API_KEY,
    "--auto-authorize",
    "--snowflake-password",
    "p",
  ]);
  try {
    const id = await seed(emulator.url);
    const path = `/api/syncs/${id}`;
    const body = await (
      await fetch(`${emulator.url}${path}`, { headers: { Authorization: `Bearer ${API_KEY}` } })
    ).text();
    const floorServer = await staticServer(body);
    try {
      const floors: number[] = [];
      const values: number[] = [];
      for (let i = 0; i < windows; i += 1) {
        floors.push(await load(floorServer.origin, path, 1));
        values.push(await load(emulator.url, path, 1));
      }
      const floor = median(floors);
      const value = median(values);
      return [
        {
          name: `emulator throughput: GET /api/syncs/{id}, ${CONNECTIONS} connections`,
          value: round(value, 0),
          unit: "req/s",
          floor: round(floor, 0),
          ratio: round(floor / value, 2),
          note: "ratio = bare node:http req/s / emulator req/s (informative; no target)",
        },
      ];
    } finally {
      floorServer.stop();
    }
  } finally {
    await emulator.stop();
  }
}

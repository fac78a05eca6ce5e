/**
 * The Salesforce OAuth hand-off (polytomic-api.md §3.6): auth_url page, confirmation, code mode,
 * autoAuthorize, and what a pending connection cannot do yet.
 */
import { request } from "undici";
import { seedSync, TestEmulator } from "./helpers";

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start();
});

afterAll(() => emu.close());

async function browserConnection(configuration: Record<string, unknown> = {}, extra = {}) {
  const reply = await emu.ok("POST", "/api/connections", {
    body: {
      name: "Salesforce <OAuth>",
      type: "salesforce",
      configuration: { domain: "acme.my.salesforce.com", ...configuration },
      ...extra,
    },
  });
  return reply.json.data;
}

async function page(url: string, method = "GET", form?: string) {
  const response = await request(url, {
    method: method as "GET",
    ...(form !== undefined && {
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
  });
  return {
    status: response.statusCode,
    type: response.headers["content-type"],
    html: await response.body.text(),
  };
}

test("a browser connection is created unhealthy with an absolute auth_url on the emulator", async () => {
  const data = await browserConnection();
  expect(data.status).toBe("unhealthy");
  expect(data.status_error).toContain("OAuth");
  expect(data.auth_url).toBe(`${emu.url}/oauth/salesforce/${data.id}`);
  expect(data.auth_code).toBeUndefined();
  const fetched = (await emu.ok("GET", `/api/connections/${data.id}`)).json.data;
  expect(fetched.status).toBe("unhealthy");
  expect(fetched.configuration.username).toBeUndefined();
});

test("the auth_url page needs no key, shows a Confirm form, and confirming authorises", async () => {
  const data = await browserConnection({}, { redirect_url: "https://app.example.com/done" });
  const shown = await page(data.auth_url);
  expect(shown.status).toBe(200);
  expect(shown.type).toMatch(/^text\/html/);
  expect(shown.html).toContain('<form method="post">');
  expect(shown.html).toContain("Confirm");
  expect(shown.html).toContain("Salesforce &lt;OAuth&gt;");
  const confirmed = await page(data.auth_url, "POST", "");
  expect(confirmed.status).toBe(200);
  expect(confirmed.html).toContain("authorised");
  expect(confirmed.html).toContain('href="https://app.example.com/done"');
  const fetched = (await emu.ok("GET", `/api/connections/${data.id}`)).json.data;
  expect(fetched.status).toBe("healthy");
  expect(fetched.status_error).toBeUndefined();
  expect(fetched.configuration.username).toBe("emulator.user@acme.my.salesforce.com");
});

test("code mode returns auth_code, and the page requires that code", async () => {
  const data = await browserConnection({ connect_mode: "code" });
  expect(data.auth_code).toMatch(/^[A-Z0-9]{8}$/);
  expect((await page(data.auth_url)).html).toContain('name="code"');
  const wrong = await page(data.auth_url, "POST", "code=NOPE");
  expect(wrong.status).toBe(400);
  expect((await emu.ok("GET", `/api/connections/${data.id}`)).json.data.status).toBe("unhealthy");
  const right = await page(data.auth_url, "POST", `code=${data.auth_code.toLowerCase()}`);
  expect(right.status).toBe(200);
  expect((await emu.ok("GET", `/api/connections/${data.id}`)).json.data.status).toBe("healthy");
});

test("unknown ids and connections without a hand-off get a 404 page", async () => {
  expect(
    (await page(`${emu.url}/oauth/salesforce/0b7e5d4e-0000-4000-8000-000000000000`)).status,
  ).toBe(404);
  const api = await emu.salesforce();
  expect((await page(`${emu.url}/oauth/salesforce/${api}`)).status).toBe(404);
  const snowflake = await emu.snowflake();
  expect((await page(`${emu.url}/oauth/salesforce/${snowflake}`, "POST", "")).status).toBe(404);
});

test("an authorised connection keeps its authorisation on PUT unless reconnect is asked", async () => {
  const data = await browserConnection();
  await page(data.auth_url, "POST", "");
  const configuration = { domain: "acme.my.salesforce.com", daily_api_calls: 1000 };
  const kept = await emu.ok("PUT", `/api/connections/${data.id}`, {
    body: { name: "SF", configuration },
  });
  expect(kept.json.data.status).toBe("healthy");
  expect(kept.json.data.auth_url).toBeUndefined();
  expect(kept.json.data.configuration.username).toBe("emulator.user@acme.my.salesforce.com");
  const reconnect = await emu.ok("PUT", `/api/connections/${data.id}`, {
    body: { name: "SF", configuration, reconnect: true },
  });
  expect(reconnect.json.data.status).toBe("unhealthy");
  expect(reconnect.json.data.auth_url).toBe(data.auth_url);
});

test("a pending connection can be neither discovered nor a sync target", async () => {
  const pending = await browserConnection();
  const discovery = await emu.call("GET", `/api/connections/${pending.id}/modelsync/targetobjects`);
  expect(discovery.status).toBe(403);
  expect(discovery.json.message).toContain("waiting for Salesforce OAuth authorisation");
  const fields = await emu.call(
    "GET",
    `/api/connections/${pending.id}/modelsync/target/fields?target=Contact`,
  );
  expect(fields.status).toBe(403);
  const snowflake = await emu.snowflake();
  const model = await emu.model(snowflake);
  const sync = await emu.call("POST", "/api/syncs", { body: seedSync(model.id, pending.id) });
  expect(sync.status).toBe(422);
  expect(sync.json.message).toContain("not healthy");
});

test("autoAuthorize stands for the consent: the create still hands out auth_url, every later read is healthy", async () => {
  const auto = await TestEmulator.start({ autoAuthorize: true });
  try {
    for (const connect_mode of ["browser", "code"]) {
      const reply = await auto.ok("POST", "/api/connections", {
        body: {
          name: `SF ${connect_mode}`,
          type: "salesforce",
          configuration: { domain: "acme.my.salesforce.com", connect_mode },
        },
      });
      const created = reply.json.data;
      expect(created.auth_url).toBe(`${auto.url}/oauth/salesforce/${created.id}`);
      expect(created.status).toBe("unhealthy");
      if (connect_mode === "code") expect(created.auth_code).toMatch(/^[A-Z0-9]{8}$/);
      const read = (await auto.ok("GET", `/api/connections/${created.id}`)).json.data;
      expect(read.status).toBe("healthy");
      expect(read.configuration.username).toBe("emulator.user@acme.my.salesforce.com");
      const consent = await page(created.auth_url);
      expect(consent.html).toContain("is now authorised");
      const objects = await auto.call(
        "GET",
        `/api/connections/${created.id}/modelsync/targetobjects`,
      );
      expect(objects.status).toBe(200);
    }
    const api = await auto.ok("POST", "/api/connections", {
      body: {
        name: "SF api",
        type: "salesforce",
        configuration: {
          domain: "acme.my.salesforce.com",
          connect_mode: "api",
          client_id: "id",
          client_secret: "secret",
          oauth_refresh_token: "refresh",
        },
      },
    });
    expect(api.json.data.auth_url).toBeUndefined();
    expect(api.json.data.status).toBe("healthy");
  } finally {
    await auto.close();
  }
});

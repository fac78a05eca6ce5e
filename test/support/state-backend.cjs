// A Terraform state backend for tests (Terraform's built-in `http` backend), in a process of its
// own so that a test blocked in spawnSync does not stall it. Each POST replaces a state whole, as
// S3 or Terraform Cloud do; an interrupted upload changes nothing. Prints its URL on stdout.
const { createServer } = require("node:http");

const states = new Map();
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("error", () => undefined);
  request.on("end", () => {
    const key = request.url ?? "";
    if (request.method === "GET") {
      const state = states.get(key);
      response.writeHead(state ? 200 : 404, { "content-type": "application/json" });
      response.end(state ?? "");
    } else if (request.method === "POST") {
      states.set(key, Buffer.concat(chunks));
      response.writeHead(200);
      response.end();
    } else if (request.method === "DELETE") {
      states.delete(key);
      response.writeHead(200);
      response.end();
    } else {
      response.writeHead(405);
      response.end();
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
// Stop with the test that started it.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

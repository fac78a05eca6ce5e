// What the API client uses of undici (`request` and `EnvHttpProxyAgent`), for the bundled CLI.
// undici's root module eagerly initialises fetch, WebSocket, caches, mocks and more: about 30 ms of
// every provisioner's start-up that the client never uses. The build maps "undici" here; the
// library and its tests import undici itself.
"use strict";
const Dispatcher = require("undici/lib/dispatcher/dispatcher");
const api = require("undici/lib/api");
const EnvHttpProxyAgent = require("undici/lib/dispatcher/env-http-proxy-agent");

// undici's root module installs the request API on every dispatcher the same way.
Object.assign(Dispatcher.prototype, api);

/** `request(url, options)` as the client calls it: always with an explicit dispatcher. */
function request(url, options) {
  const { dispatcher, ...rest } = options;
  if (!dispatcher) throw new TypeError("the bundled undici request needs an explicit dispatcher");
  const target = new URL(url);
  return dispatcher.request({
    ...rest,
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: rest.method ?? "GET",
  });
}

module.exports = { request, EnvHttpProxyAgent };

/**
 * Reading requests defensively: at most {@link MAX_BODY_BYTES} of a body are ever held (a larger
 * body is refused from its Content-Length, or as soon as the running count passes the limit,
 * without reading the rest); JSON bodies must say so in Content-Type and be objects.
 */
import type { IncomingMessage } from "node:http";
import { ApiError, badRequest } from "./errors";
import { isPlainObject } from "./validation/shape";

export const MAX_BODY_BYTES = 1024 * 1024;

/** A header's value; the first one when it was sent several times. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The path and query of a request target (never resolved against a base: `//x` stays a path). */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const mark = target.indexOf("?");
  return mark < 0
    ? { path: target, query: new URLSearchParams() }
    : { path: target.slice(0, mark), query: new URLSearchParams(target.slice(mark + 1)) };
}

function tooLarge(): ApiError {
  return new ApiError(413, `request body exceeds the ${MAX_BODY_BYTES}-byte limit`);
}

/** Thrown when the client went away mid-body: there is nobody left to answer. */
export class ClientGoneError extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("aborted", onGone);
      req.off("close", onGone);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onGone = (): void => {
      cleanup();
      reject(new ClientGoneError("client closed the connection while sending its body"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("aborted", onGone);
    req.on("close", onGone);
  });
}

function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * The JSON object a POST/PUT carries: 415 for another media type, 400 for anything not an
 * object. No body at all is an empty object: the SDKs send none to actions such as `…/cancel`,
 * and a write that needs fields then says which are missing.
 */
export function parseJsonObject(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (mediaType(req) !== "application/json") {
    throw new ApiError(
      415,
      `request body must be sent as application/json, received ${JSON.stringify(req.headers["content-type"] ?? "no Content-Type")}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw badRequest(`malformed JSON body: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw badRequest("request body must be a JSON object");
  return parsed;
}

/** An HTML form post (the OAuth confirmation page). */
export function parseForm(req: IncomingMessage, raw: Buffer): URLSearchParams {
  const type = mediaType(req);
  if (raw.length > 0 && type !== "application/x-www-form-urlencoded") {
    throw new ApiError(415, "form must be sent as application/x-www-form-urlencoded");
  }
  return new URLSearchParams(raw.toString("utf8"));
}

/**
 * Errors the emulator answers with Polytomic's `ApiError` body, `{status, message, metadata?}`
 * (polytomic-api.md §2.2). Route code throws them; the server turns them into responses.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly metadata?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function badRequest(message: string, metadata?: Record<string, unknown>): ApiError {
  return new ApiError(400, message, metadata);
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, message);
}

export function notFound(message = "not found"): ApiError {
  return new ApiError(404, message);
}

export function unprocessable(message: string, metadata?: Record<string, unknown>): ApiError {
  return new ApiError(422, message, metadata);
}

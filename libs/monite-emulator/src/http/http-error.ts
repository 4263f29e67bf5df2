/** A short-circuit answer: thrown by a handler or a pipeline step, turned into a response by the server. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** One entry of a FastAPI/pydantic style 422 body. `input` is deliberately never included: it could hold a secret. */
export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** Monite's usual error body: `{"error": {"message": ...}}`, sometimes with a `type`. */
export function moniteError(status: number, message: string, type?: string): HttpError {
  return new HttpError(status, { error: type === undefined ? { message } : { type, message } });
}

/** Monite's 422 body: `{"detail": [{"loc", "msg", "type"}]}`. */
export function validationError(detail: ValidationDetail[]): HttpError {
  return new HttpError(422, { detail });
}

/** The permission failure Monite answers: `Action {action} for {object_type} not allowed`. */
export function actionNotAllowed(action: string, objectType: string): HttpError {
  return moniteError(403, `Action ${action} for ${objectType} not allowed`);
}

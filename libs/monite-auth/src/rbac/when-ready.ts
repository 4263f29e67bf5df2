/** Whether a value is a promise (or any thenable) rather than the thing itself. */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * Calls `next` with `value` at once when it is at hand, or once it resolves (`failed` on a
 * rejection), so that the guard answers without a Promise whenever nothing it needs has to be
 * waited for. (The steps of the HTTP hot path test `isPromiseLike` themselves: no closure there.)
 */
export function whenReady<T, R>(
  value: T | PromiseLike<T>,
  next: (value: T) => R | Promise<R>,
  failed?: (error: unknown) => R | Promise<R>,
): R | Promise<R> {
  return isPromiseLike(value) ? Promise.resolve(value).then(next, failed) : next(value);
}

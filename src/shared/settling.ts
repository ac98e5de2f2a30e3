/**
 * A promise that, once it has resolved, is read without one: for answers that many callers ask for at
 * once and that are nearly always known already (a cached sign-in, an organization's queues), where a
 * promise per caller is the cost. A rejection is left to the promise's own handlers.
 */
export class Settling<T> {
  #settled: { value: T } | undefined;

  constructor(readonly promise: Promise<T>) {
    promise.then(
      (value) => {
        this.#settled = { value };
      },
      () => {},
    );
  }

  /** The value once it has come, else the promise. */
  now(): T | Promise<T> {
    return this.#settled ? this.#settled.value : this.promise;
  }
}

import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** A promise with its settling functions; its rejection is handled even if no one awaits it. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export type Deferred<T> = ReturnType<typeof deferred<T>>;

/**
 * A worker thread on the module `name` beside `caller` (the caller's import.meta.url). Under tsx or
 * vitest (TypeScript sources) the thread registers tsx's loader first, as a worker does not inherit
 * the main thread's.
 */
export function startWorker(caller: string, name: string, workerData: unknown): Worker {
  const extension = extname(fileURLToPath(caller));
  const url = new URL(`./${name}${extension}`, caller);
  if (extension !== ".ts") return new Worker(url, { workerData });
  const load = `import(${JSON.stringify(url.href)})`;
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return ${load}; })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

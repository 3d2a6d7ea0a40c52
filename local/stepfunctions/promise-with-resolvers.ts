/**
 * aws-local-stepfunctions 3 calls `Promise.withResolvers` (ES2024), which
 * Node 20 lacks. Importing this module installs a spec-shaped polyfill once,
 * and only where the runtime has none (Lambda's Node 22 has it natively).
 */

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type WithResolvers = <T>() => Resolvers<T>;

const promiseCtor = Promise as PromiseConstructor & { withResolvers?: WithResolvers };

if (typeof promiseCtor.withResolvers !== 'function') {
  const withResolvers: WithResolvers = <T>() => {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  Object.defineProperty(promiseCtor, 'withResolvers', {
    value: withResolvers,
    writable: true,
    configurable: true,
  });
}

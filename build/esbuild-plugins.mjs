/**
 * esbuild plugins for the Lambda bundles (`custom.esbuild.plugins` in
 * serverless.yml; serverless-esbuild loads this file with `require`): both
 * take out of every bundle SDK code a Lambda function never runs, which it
 * would otherwise parse at each cold start (docs/PERFORMANCE.md, "Lambda
 * packages"). lambda-credentials is described where it is defined.
 *
 * sdk-schema-literal-keys: the AWS SDK's generated schema files
 * (`dist-es/schemas/schemas_0.js`, one per client) describe every operation
 * and shape of the service as plain arrays, so esbuild can drop the ones a
 * bundle never sends, but their trait objects use computed keys
 * (`{ [_e]: _c, [_hE]: 409 }`, `_e` being `const _e = "error"`). esbuild
 * must assume a computed key can run code, so it keeps every declaration
 * holding one: every operation of the service ends up in every bundle
 * (aws/aws-sdk-js-v3#7607, fixed upstream by smithy-lang/smithy-typescript#1889).
 * The plugin writes those keys as the string literals they are, which the
 * SDK's own fix also does; once the SDK ships it there is nothing left to
 * rewrite and the plugin does nothing.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The SDK's generated schema files, client packages and nested clients alike. */
const schemaFile = /[\\/]dist-es[\\/](?:submodules[\\/][^\\/]+[\\/])?schemas[\\/]schemas_\d+\.js$/;

/**
 * `source` with each computed key `[_x]:` whose `_x` the file declares as
 * `const _x = "...";` written as that string literal. Keys it cannot
 * resolve stay as they are, so the result always means what the source did.
 * @param {string} source
 * @returns {string}
 */
export function literalSchemaKeys(source) {
  const declarations = source.matchAll(/^const (_\w*) = ("(?:[^"\\\n]|\\.)*");$/gm);
  const strings = new Map([...declarations].map(([, name, literal]) => [name, literal]));
  return source.replace(/\[(_\w*)\]:/g, (key, name) => (strings.has(name) ? `${strings.get(name)}:` : key));
}

/** @type {import('esbuild').Plugin} */
export const sdkSchemaLiteralKeys = {
  name: 'sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: schemaFile }, async ({ path }) => ({
      contents: literalSchemaKeys(await readFile(path, 'utf8')),
      loader: 'js',
    }));
  },
};

/**
 * The credential chain of a Lambda bundle, in place of the SDK's default
 * chain (`@aws-sdk/credential-provider-node`, which every client's
 * `runtimeConfig` imports). Lambda hands a function its role's credentials in
 * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, the
 * first link of the default chain, so the links after it (SSO, shared config
 * and credentials files, `credential_process`, web identity token file, EC2
 * instance metadata) can never answer there. They cost every cold start all
 * the same: about 100 KB of each bundle (the SSO, SSO-OIDC, STS and sign-in
 * clients nested in the providers), parsed at every import, and
 * `node:child_process` loaded for `credential_process`.
 *
 * This chain keeps the environment, then the container credentials endpoint
 * (`AWS_CONTAINER_CREDENTIALS_FULL_URI` / `_RELATIVE_URI`), which is how the
 * SDK reaches credentials in runtimes that serve them over HTTP rather than
 * in variables (a static import, 7 KB: see sdk-static-imports for why not
 * `import()`). Anything else fails with an error that says so. The links are memoised as
 * the default chain's are (its own `memoizeChain`). Code run from source (the
 * local stack, the tests) still has the SDK's own default chain.
 */
export const lambdaCredentialChain = `
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { CredentialsProviderError } from '@smithy/core/config';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { memoizeChain } from './runtime/memoize-chain';

/** As the default chain: credentials that expire within five minutes are fetched again. */
const treatedAsExpired = (credentials) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300000;

export const defaultProvider = (init = {}) =>
  memoizeChain(
    [
      async () => fromEnv(init)(),
      async (identityProperties) => {
        const env = process.env;
        if (!env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI && !env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
          throw new CredentialsProviderError(
            'Could not load credentials: neither AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY nor a container ' +
              'credentials endpoint is set (a Lambda bundle reads credentials from those only, as Lambda provides them).',
            { logger: init.logger, tryNextLink: false },
          );
        }
        return fromHttp(init)(identityProperties);
      },
    ],
    treatedAsExpired,
  );
`;

/** @type {import('esbuild').Plugin} */
export const lambdaCredentials = {
  name: 'lambda-credentials',
  setup(build) {
    const resolving = Symbol('lambda-credentials');
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, async (args) => {
      if (args.pluginData === resolving) return undefined;
      // Where the real package is, so the chain's own imports resolve among its dependencies.
      const { path, errors } = await build.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: resolving,
      });
      if (errors.length > 0) return { errors };
      return { path, namespace: 'lambda-credentials' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lambda-credentials' }, ({ path }) => ({
      contents: lambdaCredentialChain,
      loader: 'js',
      resolveDir: dirname(path),
    }));
  },
};

/** The SDK's ES module files, where sdk-static-imports looks for `import()`. */
const sdkFile = /[\\/]node_modules[\\/]@(?:smithy|aws-sdk)[\\/].*[\\/]dist-es[\\/].*\.js$/;

/**
 * `source` with each `import("pkg")` of a package (not a `node:` built-in)
 * turned into a static namespace import, `Promise.resolve(namespace)` taking
 * the call's place; undefined when there is none.
 * @param {string} source
 * @returns {string | undefined}
 */
export function staticSdkImports(source) {
  const imports = [];
  const body = source.replace(/\bimport\(("(?!node:)[^"\\]+")\)/g, (_, specifier) => {
    const local = `__sdkStaticImport${imports.length}`;
    imports.push(`import * as ${local} from ${specifier};`);
    return `Promise.resolve(${local})`;
  });
  return imports.length === 0 ? undefined : `${imports.join('\n')}\n${body}`;
}

/**
 * sdk-static-imports: the SDK loads a few modules with `import()` on first
 * use, chiefly `@smithy/core/event-streams`, which every client's protocol
 * (`HttpProtocol`) imports that way for operations that stream events (none
 * fleetwave sends). In a one-file bundle that import costs far more than it
 * saves: esbuild wraps the imported module, and every module it shares with
 * the rest of the bundle (most of `@smithy/core`), in functions that
 * initialise them lazily (about 170 modules in each bundle), and V8 then
 * parses that code twice at every cold start (a quick pass when it compiles
 * the bundle, a full one when the wrapper runs) and runs each wrapper. Made
 * static, the event-stream code (about 15 KB) is part of the bundle like the
 * rest, and nothing is wrapped: the IoT client alone imports about 4 ms
 * faster, every function 5–6 ms. The code the SDK runs is the same; the
 * event-stream module is evaluated at import instead of when first needed.
 */
export const sdkStaticImports = {
  name: 'sdk-static-imports',
  setup(build) {
    build.onLoad({ filter: sdkFile }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const contents = source.includes('import(') ? staticSdkImports(source) : undefined;
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};

export default [sdkSchemaLiteralKeys, lambdaCredentials, sdkStaticImports];

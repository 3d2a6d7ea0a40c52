/**
 * esbuild plugins for the Lambda bundles (`custom.esbuild.plugins` in
 * serverless.yml; serverless-esbuild loads this file with `require`).
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

export default [sdkSchemaLiteralKeys];

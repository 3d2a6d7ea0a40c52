/**
 * Which way imports may point (docs/architecture.md, "Where things live").
 * `npm run lint` runs it, so CI fails on an import that breaks the layering.
 *
 *   functions -> lib          lib: what ships to Lambda
 *   local     -> lib          local: the emulated stack on one machine
 *   cli       -> lib          cli reaches local only through `fleetwave local`
 *   local, cli -> dashboard/serve   the dashboard's file server and cross-site guard, shared
 *   demo      -> cli, local   the demo is a user of both
 *   state-machines -> lib     the generator reads lib's names, at build time only
 *   examples -> nothing       device code as a user writes it: npm packages only
 *   bench, test -> anything
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-ships-alone',
      comment:
        'lib/ is what ships to Lambda: it imports nothing from the local stack, the CLI, the entry points, the demo, the build-time code (state machine generator, bundler), benchmarks or tests.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(local|cli|functions|demo|bench|test|state-machines|build)/' },
    },
    {
      name: 'domain-is-pure',
      comment:
        'lib/domain is pure: no AWS SDK, no middy, no configuration (the one reader of process.env), no adapters.',
      severity: 'error',
      from: { path: '^lib/domain/' },
      to: {
        path: ['^node_modules/@aws-sdk/', '^node_modules/@middy/', '^lib/config\\.ts$', '^lib/adapters/'],
      },
    },
    {
      name: 'functions-use-lib-only',
      comment: 'A Lambda entry point imports lib/ (and npm packages), nothing else of the project.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(local|cli|demo|bench|test|state-machines|build)/' },
    },
    {
      name: 'cli-reaches-local-through-its-command',
      comment: 'The CLI reaches the local stack only through `fleetwave local` (cli/commands/local.ts), loaded on demand.',
      severity: 'error',
      from: { path: '^cli/', pathNot: '^cli/commands/local\\.ts$' },
      to: { path: '^local/' },
    },
    {
      name: 'cli-and-local-stay-below-the-demo',
      comment: 'The demo uses the CLI and the local stack; neither uses the demo, benchmarks or tests.',
      severity: 'error',
      from: { path: '^(cli|local)/' },
      to: { path: '^(demo|bench|test|functions)/' },
    },
    {
      name: 'local-does-not-use-the-cli',
      comment: 'The CLI starts the local stack; the local stack never imports the CLI (that would be a cycle of folders).',
      severity: 'error',
      from: { path: '^local/' },
      to: { path: '^cli/' },
    },
    {
      name: 'dashboard-serve-is-shared',
      comment:
        'dashboard/serve/ serves the dashboard for both the local stack and `fleetwave dashboard`, so it imports neither, nor anything else that either would drag along: only Node built-ins and its own files.',
      severity: 'error',
      from: { path: '^dashboard/serve/' },
      to: { pathNot: '^dashboard/serve/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'examples-stand-alone',
      comment:
        "An example is device code as a user would write it: it imports npm packages and its own files, nothing of fleetwave's.",
      severity: 'error',
      from: { path: '^examples/' },
      to: { path: '^(lib|local|cli|functions|demo|bench|test|state-machines|build)/' },
    },
    {
      name: 'nothing-imports-examples',
      comment: 'Only tests import an example; the product never depends on one.',
      severity: 'error',
      from: { path: '^(lib|local|cli|functions|demo|bench|state-machines|build)/' },
      to: { path: '^examples/' },
    },
    {
      name: 'no-circular',
      comment: 'No module may import itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.serverless|\\.esbuild|\\.fleetwave|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.json'],
    },
    // `.js` specifiers name `.ts` sources (NodeNext): resolve them as TypeScript does.
    extraExtensionsToScan: ['.mjs'],
    reporterOptions: { text: { highlightFocused: true } },
    cache: false,
  },
};

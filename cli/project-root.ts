/**
 * The project's root folder, found as `version.ts` finds package.json: the
 * folder above this module's own. That holds from the sources
 * (`cli/project-root.ts`) and from the bundle (`dist/fleetwave.mjs`), which
 * sits one folder below the root on purpose (`build/cli-bundle.mjs`).
 */
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../', import.meta.url));

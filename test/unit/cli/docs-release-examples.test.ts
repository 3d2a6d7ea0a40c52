/**
 * docs/cli.md's release files and docs/api.md's scheduling example as a
 * user copies them: valid release requests, with the schedule inside every
 * limit as of the day the docs were written.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseReleaseRequest } from '../../../lib/domain/release-request.js';
import { checkScheduleTimes } from '../../../lib/domain/release-schedule-checks.js';

const cliDoc = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
const yamlBlocks = [...cliDoc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');

function block(marker: string): Record<string, unknown> {
  const found = yamlBlocks.filter((b) => b.includes(marker));
  expect(found, `one yaml block containing ${marker}`).toHaveLength(1);
  return parse(found[0] as string) as Record<string, unknown>;
}

/** When the scheduling example was written: its times are ahead of this. */
const WRITTEN = Date.parse('2026-12-06T00:00:00Z');

describe("docs/cli.md's release files", () => {
  it('release.yaml is a valid release request', () => {
    expect(() =>
      parseReleaseRequest({ releaseId: 'docs-release', ...block('# release.yaml') }),
    ).not.toThrow();
  });

  it('release.yaml with the schedulingConfig example is valid, its times inside every limit', () => {
    const request = parseReleaseRequest({
      releaseId: 'docs-scheduled',
      ...block('# release.yaml'),
      ...block('schedulingConfig:'),
    });
    expect(request.schedulingConfig?.maintenanceWindows).toHaveLength(1);
    expect(() => checkScheduleTimes(request, WRITTEN)).not.toThrow();
  });

  it("docs/api.md's schedulingConfig example, with a job template and a fleet, is valid and inside every limit", () => {
    const apiDoc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    const fragments = [...apiDoc.matchAll(/^```json\n([\s\S]*?)^```$/gm)]
      .map((m) => m[1] ?? '')
      .filter((b) => b.startsWith('"schedulingConfig": {'));
    expect(fragments).toHaveLength(1);
    const example = JSON.parse(`{${fragments[0]}}`) as Record<string, unknown>;
    const request = parseReleaseRequest({
      releaseId: 'docs-api-scheduled',
      jobTemplateId: 'fw-2-4',
      targets: { thingGroups: ['eu-west'] },
      ...example,
    });
    expect(request.waves[0]?.maintenanceWindows).toEqual([]);
    expect(() => checkScheduleTimes(request, WRITTEN)).not.toThrow();
  });
});

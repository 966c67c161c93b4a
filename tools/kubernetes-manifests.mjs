// Renders deploy/kubernetes with `kubectl kustomize` and validates every object against the
// Kubernetes OpenAPI schemas (kubernetes-models). Prints one JSON document: the objects and, for
// each, the schema errors (none when valid). `node tools/kubernetes-manifests.mjs` exits 1 when
// kubectl is missing, rendering fails or an object is invalid. With `-` it validates the JSON array
// of objects read from standard input instead (to check the check).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function render() {
  const result = spawnSync('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', join(ROOT, 'deploy', 'kubernetes')], { encoding: 'utf8' });
  if (result.error) throw new Error(`kubectl is needed to render deploy/kubernetes: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`kubectl kustomize failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout).map((document) => document.toJS());
}

/** The kubernetes-models module of an object: `v1/Service`, `apps/v1/Deployment`, ... */
function modelPath({ apiVersion, kind }) {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

export async function validate(objects) {
  const results = [];
  for (const object of objects) {
    const entry = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata?.name, errors: [] };
    try {
      const { [object.kind]: Model } = await import(modelPath(object));
      if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
      new Model(object).validate();
    } catch (error) {
      const details = error?.errors ?? error?.details;
      entry.errors =
        Array.isArray(details) && details.length > 0
          ? details.map((e) => `${e.instancePath ?? e.path ?? ''} ${e.message ?? JSON.stringify(e)}`)
          : [String(error?.message ?? error)];
    }
    results.push(entry);
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const objects = process.argv[2] === '-' ? JSON.parse(await new Response(process.stdin).text()) : render();
    const results = await validate(objects);
    process.stdout.write(`${JSON.stringify({ objects, results }, null, 2)}\n`);
    process.exit(results.some((r) => r.errors.length > 0) ? 1 : 0);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

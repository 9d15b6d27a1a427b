#!/usr/bin/env node
// Lays out the local MinIO cluster from an environment's plan: renders the MinIO chart and the
// provisioning chart of @harbor-platform/manifests (the objects the cluster gets) and writes, for
// the shell scripts, what each server and the provisioning Job run: the container's command and
// arguments unchanged, its plain environment values, and which variables come from which Secret.
//
// usage: layout.mjs <environment name | path of an environment YAML> <output folder>
// Writes: plan.json; servers.tsv (name, pool, zone index, ordinal, drives per server);
// server.args (command and arguments, one per line); server.env (NAME=value); server.secret-env
// (NAME secret key); service.env (shell variables: the Services' names and ports, bucket, region);
// provision/{provision.sh,policy.json} (the Job's ConfigMap); provision.env; provision.secret-env.
// A layout the config refuses prints each problem as `path: problem: fix` and exits 1.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { environmentFile, loadEnvironmentFile, MINIO_API_PORT, MINIO_CONSOLE_PORT, planEnvironment, planImageRefs } from '@harbor-platform/config';
import { MinioChart, MinioProvisioningChart } from '@harbor-platform/manifests';
import { App } from 'cdk8s';

const [source, out] = process.argv.slice(2);
if (!source || !out) {
  console.error('usage: layout.mjs <environment name | environment YAML> <output folder>');
  process.exit(2);
}
const file = /\.ya?ml$/.test(source) ? resolve(source) : environmentFile(source);
if (!file) {
  console.error(`layout: no environment "${source}": give a name from environments/ or the path of a YAML file`);
  process.exit(2);
}
const loaded = loadEnvironmentFile(file);
if (!loaded.ok) {
  for (const p of loaded.problems) console.error(`${p.path}: ${p.message}: ${p.fix}`);
  process.exit(1);
}
const config = loaded.config;
const plan = planEnvironment(config, loaded.warnings);

const app = new App();
const objects = (chart) => chart.toJson();
// The charts as packages/manifests' addPlatformCharts builds them (the image is the plan's; the local stack runs its own build).
const minio = objects(new MinioChart(app, 'minio', { plan, settings: config.minio, images: planImageRefs(plan) }));
const provisioning = objects(new MinioProvisioningChart(app, 'provisioning', { plan, settings: config.minio }));

/** Splits a container's env into plain values and Secret references. */
function splitEnv(env) {
  const plain = [];
  const secret = [];
  for (const e of env) {
    if (e.valueFrom?.secretKeyRef) secret.push(`${e.name} ${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
    else {
      if (/[\n']/.test(e.value)) throw new Error(`layout: env ${e.name} holds a newline or quote`);
      plain.push(`${e.name}=${e.value}`);
    }
  }
  return { plain: plain.join('\n') + '\n', secret: secret.join('\n') + '\n' };
}

const sets = minio.filter((o) => o.kind === 'StatefulSet');
const servers = [];
let command;
let env;
for (const s of plan.minio.statefulSets) {
  const rendered = sets.find((o) => o.metadata.name === s.name);
  if (!rendered) throw new Error(`layout: the MinIO chart rendered no StatefulSet ${s.name}`);
  const c = rendered.spec.template.spec.containers[0];
  const cmd = [...c.command, ...c.args];
  // Every server of a distributed MinIO runs the same command line: that is how they agree on the layout.
  if (command && cmd.join('\n') !== command.join('\n')) throw new Error(`layout: StatefulSet ${s.name} runs another command line`);
  command = cmd;
  env = c.env;
  const drives = c.volumeMounts.filter((m) => /^\/data\d+$/.test(m.mountPath)).length;
  for (let i = 0; i < rendered.spec.replicas; i++) servers.push([`${s.name}-${i}`, s.pool, s.zoneIndex, i, drives].join('\t'));
}

const job = provisioning.find((o) => o.kind === 'Job');
const jobContainer = job.spec.template.spec.containers[0];
const configMap = provisioning.find((o) => o.kind === 'ConfigMap' && o.metadata.name === job.spec.template.spec.volumes.find((v) => v.configMap).configMap.name);
const jobMount = jobContainer.volumeMounts.find((m) => m.name === 'config').mountPath;

const m = plan.minio;
const service = {
  LAYOUT_ENVIRONMENT: plan.environment,
  LAYOUT_FILE: file,
  MINIO_NAMESPACE: m.namespace,
  MINIO_SERVICE_HOST: `${m.serviceName}.${m.namespace}.svc.cluster.local`,
  MINIO_CONSOLE_HOST: `${m.serviceName}-console.${m.namespace}.svc.cluster.local`,
  MINIO_HEADLESS_DOMAIN: `${m.headlessServiceName}.${m.namespace}.svc.cluster.local`,
  MINIO_API_PORT: String(MINIO_API_PORT),
  MINIO_CONSOLE_PORT: String(MINIO_CONSOLE_PORT),
  MINIO_PLAN_ENDPOINT: m.endpoint,
  MINIO_BUCKET: m.bucket,
  MINIO_REGION: plan.registryStorage.region,
  PROVISION_COMMAND: jobContainer.command.join(' '),
  PROVISION_CONFIG_MOUNT: jobMount,
};

// Written to a fresh folder, then swapped in whole: a failed run leaves the previous layout.
const dir = resolve(out);
const tmp = `${dir}.tmp`;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(join(tmp, 'provision'), { recursive: true });
const write = (name, text) => writeFileSync(join(tmp, name), text);
write('plan.json', JSON.stringify(plan, null, 2) + '\n');
write('servers.tsv', servers.join('\n') + '\n');
write('server.args', command.join('\n') + '\n');
const serverEnv = splitEnv(env);
write('server.env', serverEnv.plain);
write('server.secret-env', serverEnv.secret);
write('service.env', Object.entries(service).map(([k, v]) => `${k}='${v}'`).join('\n') + '\n');
for (const [name, text] of Object.entries(configMap.data)) write(join('provision', name), text);
const jobEnv = splitEnv(jobContainer.env);
write('provision.env', jobEnv.plain);
write('provision.secret-env', jobEnv.secret);
rmSync(dir, { recursive: true, force: true });
renameSync(tmp, dir);

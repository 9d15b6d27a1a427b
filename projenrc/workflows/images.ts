import type { JobStep } from 'projen/lib/github/workflows-model';
import { CLI } from './steps';
import { VERSIONS } from '../versions';

/**
 * The deploy job's image steps, between the role assumption and the platform stack's deploy:
 * the environment's `-github` stack first (it holds the ECR repositories and the Docker Hub
 * cache, and the grants that let this job push and record digests), then for each image the
 * plan says the platform builds (`plan.images.<name>.built`, packages/config images.ts) the
 * same `scripts/images/build` the tests run, pushed to the plan's repository and its digest
 * put in the plan's SSM parameter, which the platform stack reads at deploy time. The names
 * come from the plan (`resolveTarget` writes it to $RUNNER_TEMP/plan.json), never from here.
 */

/** Name of the step that builds, pushes and records the images (tests find it by this). */
export const BUILD_IMAGES_STEP = 'Build and push the platform images, record their digests';

/** Deploys the environment's GitHub stack alone (`stack`: `plan.names.stacks.github`), from the downloaded assembly in `appDir`. */
export function deployGithubStack(env: string, stack: string, appDir: string): JobStep {
  return {
    name: `Deploy the ${env} GitHub stack (roles, image repositories, Docker Hub cache)`,
    workingDirectory: appDir,
    run: `npx --no cdk deploy --app cdk.out --require-approval never --progress events --exclusively '${stack}'`,
  };
}

/**
 * Tools of the build: umoci and skopeo from Debian (no Docker daemon), Go and the Go
 * programs of scripts/local-stack/go-tools.tsv (the MinIO server among them), as the build
 * workflow installs them.
 */
export const imageTools: JobStep[] = [
  { name: 'Set up Go (builds the MinIO image)', uses: 'actions/setup-go', with: { 'go-version': VERSIONS.go, 'cache': false } },
  {
    name: 'Install the image tools (umoci, skopeo, the Go tools)',
    run: [
      'sudo apt-get update -q',
      'sudo apt-get install -y -q --no-install-recommends umoci skopeo',
      'sudo --preserve-env=PATH,GOPATH,GOCACHE,GOMODCACHE bash scripts/local-stack/install-go-tools',
    ].join('\n'),
  },
];

/**
 * Builds and pushes each of `images` (`scripts/images/build <name>`, in this order) the plan says
 * is built, tagged `<commit>-<run attempt>` (the repositories' tags are immutable: a re-run
 * pushes a new tag), and puts the digest the build wrote (checked to be `sha256:<64 hex>`) into
 * the image's SSM parameter. `harbor-platform github-outputs --image` reads, per image, whether
 * it is built, its repository URI and its digest parameter from the plan. The registry password
 * (`aws ecr get-login-password`) is masked and given to the build as `--dest-creds`.
 */
export function buildImages(images: readonly string[]): JobStep {
  return {
    name: BUILD_IMAGES_STEP,
    env: { HP_REGION: '${{ steps.target.outputs.region }}' },
    run: [
      'password="$(aws ecr get-login-password --region "$HP_REGION")"',
      'echo "::add-mask::$password"',
      `for name in ${images.join(' ')}; do`,
      // Its own assignment, so a refused plan stops the step (a failure inside `<<< "$(...)"` would not).
      `  fields="$(${CLI} github-outputs --plan "$RUNNER_TEMP/plan.json" --image "$name")"`,
      '  read -r built repository parameter <<< "$fields"',
      '  if [ "$built" != true ]; then echo "$name: an external image (plan.images.$name): nothing to build"; continue; fi',
      '  digest_file="$RUNNER_TEMP/$name.digest"',
      '  scripts/images/build "$name" --dest "docker://$repository:$GITHUB_SHA-$GITHUB_RUN_ATTEMPT" --digest-file "$digest_file" --dest-creds "AWS:$password"',
      '  digest="$(cat "$digest_file")"',
      '  if ! [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then echo "$name: the build wrote \\"$digest\\" to $digest_file, not sha256:<64 hex>" >&2; exit 1; fi',
      '  aws ssm put-parameter --name "$parameter" --type String --overwrite --value "$digest" > /dev/null',
      '  echo "$name: pushed $repository@$digest, recorded in $parameter"',
      'done',
    ].join('\n'),
  };
}

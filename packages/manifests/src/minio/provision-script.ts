/**
 * The provisioning Job's script (MinIO client `mc`). Every step is idempotent, so
 * the Job can run again at any time with the same result: the bucket is created
 * only when missing, the policy document is replaced, the user's secret key is
 * set to the current one, and attaching an already attached policy is not an error.
 * Values arrive as environment variables; nothing secret is in this text.
 */
export const POLICY_NAME = 'harbor-registry';

export const PROVISION_SCRIPT = `#!/bin/sh
set -eu
# Bounded wait for the cluster to accept writes (the Job's activeDeadlineSeconds bounds it too).
# \`mc alias set\` checks the credentials against the server, which answers "Server not
# initialized yet" until its erasure sets have formed, so it is retried with the readiness check.
attempt=0
until out=$(mc alias set platform "$MINIO_ENDPOINT" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" 2>&1) && out=$(mc ready platform 2>&1); do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then echo "MinIO at $MINIO_ENDPOINT not ready after 60 attempts: $out" >&2; exit 1; fi
  sleep 5
done
# The Service sends each request to any server: one may still answer "Server not initialized
# yet" after another answered ready (its erasure sets are still forming), so each step retries
# that answer, boundedly, and stops at once on any other error.
settled() {
  n=0
  until out=$(mc "$@" 2>&1); do
    case "$out" in
      *"not initialized yet"*) n=$((n + 1)) ;;
      *) echo "$out" >&2; return 1 ;;
    esac
    if [ "$n" -ge 30 ]; then echo "MinIO still not initialized after 30 attempts (mc $1): $out" >&2; return 1; fi
    sleep 2
  done
  echo "$out"
}
settled mb --ignore-existing "platform/$BUCKET"
settled admin policy create platform ${POLICY_NAME} /config/policy.json
settled admin user add platform "$HARBOR_ACCESS_KEY" "$HARBOR_SECRET_KEY"
# The Service sends each request to any server, and a server learns of the policy and user
# created through another one a moment later (MinIO propagates IAM changes to its peers), so
# "does not exist" is retried, boundedly.
attempt=0
until out=$(mc admin policy attach platform ${POLICY_NAME} --user "$HARBOR_ACCESS_KEY" 2>&1); do
  case "$out" in
    *"already"*) break ;;
    *"does not exist"* | *"not initialized yet"*) attempt=$((attempt + 1)) ;;
    *) echo "$out" >&2; exit 1 ;;
  esac
  if [ "$attempt" -ge 30 ]; then echo "policy ${POLICY_NAME} or user $HARBOR_ACCESS_KEY still unknown to MinIO after 30 attempts: $out" >&2; exit 1; fi
  sleep 2
done
echo "bucket $BUCKET, user $HARBOR_ACCESS_KEY and policy ${POLICY_NAME} are in place"
`;

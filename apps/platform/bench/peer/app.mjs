// The benchmark's peer: one EKS cluster built with @aws-quickstart/eks-blueprints and
// the add-ons comparable to the platform's (EBS CSI driver, Velero, AWS Load Balancer
// Controller, External Secrets). Same account, region and Kubernetes version as dev.
import * as blueprints from '@aws-quickstart/eks-blueprints';
import { App } from 'aws-cdk-lib';
import { KubernetesVersion } from 'aws-cdk-lib/aws-eks';

const ACCOUNT = '111111111111';
const REGION = 'ap-northeast-2';
// The zones as context, as the platform names them in its config: no lookup, no dummy zones.
const app = new App({ context: { [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: ['a', 'b', 'c'].map((z) => `${REGION}${z}`) } });
// Versions pinned: left on "auto", an add-on asks the EKS API at synthesis (which needs credentials).
await blueprints.EksBlueprint.builder()
  .account(ACCOUNT)
  .region(REGION)
  .version(KubernetesVersion.V1_33)
  .addOns(
    new blueprints.addons.EbsCsiDriverAddOn({ version: 'v1.56.0-eksbuild.1' }),
    new blueprints.addons.VeleroAddOn(),
    new blueprints.addons.AwsLoadBalancerControllerAddOn(),
    new blueprints.addons.ExternalsSecretsAddOn(),
  )
  .buildAsync(app, 'eks-blueprints-peer');
app.synth();

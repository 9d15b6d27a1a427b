import { describe, expect, it } from 'vitest';
import { loadWith, problemsWith, schemaProblemsWith } from './util.js';

const IN_CLUSTER = 'http://minio.minio.svc.cluster.local:9000';

describe('S3 endpoint rules (the three failures of the original setup)', () => {
  it('explains "server gave HTTP response to HTTPS client" for an endpoint without a scheme', () => {
    expect(problemsWith((raw) => (raw.minio.endpoint = 'minio.minio.svc.cluster.local:9000'))).toEqual([
      `minio.endpoint: "minio.minio.svc.cluster.local:9000" has no scheme, so the registry speaks HTTPS to MinIO's plain-HTTP port and fails with "server gave HTTP response to HTTPS client": write the scheme and port, such as "${IN_CLUSTER}"`,
    ]);
  });

  it('explains "S3 API Requests must be made to API port" for an endpoint without a port', () => {
    expect(problemsWith((raw) => (raw.minio.endpoint = 'http://minio.minio.svc.cluster.local'))).toEqual([
      `minio.endpoint: "http://minio.minio.svc.cluster.local" has no port, so requests reach the console or the load balancer instead of the S3 API ("S3 API Requests must be made to API port"): add the S3 API port, such as "${IN_CLUSTER}"`,
    ]);
  });

  it('refuses the console port', () => {
    expect(problemsWith((raw) => (raw.minio.endpoint = 'http://minio.minio.svc.cluster.local:9001'))).toEqual([
      `minio.endpoint: port 9001 is MinIO's console, not its S3 API ("S3 API Requests must be made to API port"): use the API port 9000, such as "${IN_CLUSTER}"`,
    ]);
  });

  it.each(['9090', '443', '80', '8000', '19000'])('refuses port %s, which the platform\'s MinIO Service does not serve', (port) => {
    expect(problemsWith((raw) => (raw.minio.endpoint = `http://minio.minio.svc.cluster.local:${port}`))).toEqual([
      `minio.endpoint: port ${port} is not served: the platform's MinIO Service exposes its S3 API on 9000 only: use the API port 9000, such as "${IN_CLUSTER}"`,
    ]);
  });

  it.each(['https://minio.minio.svc.cluster.local:9000', 'https://minio.minio.svc:9000', 'https://minio.minio:9000'])(
    'refuses %s: the platform\'s MinIO serves plain HTTP',
    (endpoint) => {
      expect(problemsWith((raw) => (raw.minio.endpoint = endpoint))).toEqual([
        `minio.endpoint: the platform's MinIO serves plain HTTP, so https:// fails with "server gave HTTP response to HTTPS client": use http://, such as "${IN_CLUSTER}"`,
      ]);
    },
  );

  it('names every fault of one endpoint at once', () => {
    expect(problemsWith((raw) => (raw.minio.endpoint = 'https://minio.minio.svc.cluster.local:443'))).toEqual([
      `minio.endpoint: the platform's MinIO serves plain HTTP, so https:// fails with "server gave HTTP response to HTTPS client": use http://, such as "${IN_CLUSTER}"`,
      `minio.endpoint: port 443 is not served: the platform's MinIO Service exposes its S3 API on 9000 only: use the API port 9000, such as "${IN_CLUSTER}"`,
    ]);
  });

  it.each([
    ['http://minio.other.svc.cluster.local:9000', '"minio.other.svc.cluster.local" names the Service "minio" in namespace "other"'],
    ['http://minio.harbor.svc:9000', '"minio.harbor.svc" names the Service "minio" in namespace "harbor"'],
    ['http://minio-hl.minio.svc.cluster.local:9000', '"minio-hl.minio.svc.cluster.local" names the Service "minio-hl" in namespace "minio"'],
    ['http://s3.minio:9000', '"s3.minio" names the Service "s3" in namespace "minio"'],
    ['http://minio:9000', '"minio" names the Service "minio" in namespace "harbor" (a bare name resolves in the registry\'s namespace "harbor")'],
  ])('refuses %s, another Service or namespace', (endpoint, message) => {
    expect(problemsWith((raw) => (raw.minio.endpoint = endpoint))).toEqual([
      `minio.endpoint: ${message}, but the platform's MinIO is "minio" in "minio": use "${IN_CLUSTER}", or, for another store, set minio.externalEndpoint instead`,
    ]);
  });

  it('flags an endpoint through a public load balancer and names the in-cluster service', () => {
    expect(problemsWith((raw) => (raw.minio.endpoint = 'http://minio-123.elb.ap-northeast-2.amazonaws.com:9000'))).toEqual([
      `minio.endpoint: "minio-123.elb.ap-northeast-2.amazonaws.com" is not the platform's MinIO Service, so registry traffic leaves the cluster through a load balancer and comes back in (an extra hop that timed out): use the in-cluster service name "${IN_CLUSTER}", or, for a store outside the platform, set minio.externalEndpoint instead`,
    ]);
  });

  it('refuses credentials, paths and other schemes', () => {
    expect(problemsWith((raw) => (raw.minio.endpoint = 'http://key:secret@minio.minio.svc:9000'))).toEqual([
      'minio.endpoint: carries credentials in the URL: remove them: the registry reads its keys from a Secret synced from Secrets Manager',
    ]);
    expect(problemsWith((raw) => (raw.minio.endpoint = 'http://minio.minio.svc:9000/harbor'))).toEqual([
      `minio.endpoint: has a path or query "/harbor"; the S3 API is served at the root: remove it, such as "${IN_CLUSTER}"`,
    ]);
    expect(problemsWith((raw) => (raw.minio.endpoint = 'ftp://minio.minio.svc:9000'))).toEqual([
      `minio.endpoint: scheme "ftp" is not an S3 scheme: use http:// or https://, such as "${IN_CLUSTER}"`,
    ]);
  });

  it('suggests the service of the configured namespace and service name', () => {
    const lines = problemsWith((raw) => {
      raw.minio.namespace = 'object-store';
      raw.minio.serviceName = 's3';
      raw.velero.schedules[0].includedNamespaces = ['harbor', 'object-store'];
      raw.minio.endpoint = 'http://minio.minio.svc.cluster.local:9000';
    });
    expect(lines).toEqual([
      'minio.endpoint: "minio.minio.svc.cluster.local" names the Service "minio" in namespace "minio", but the platform\'s MinIO is "s3" in "object-store": use "http://s3.object-store.svc.cluster.local:9000", or, for another store, set minio.externalEndpoint instead',
    ]);
  });

  it.each([IN_CLUSTER, 'http://minio.minio.svc:9000', 'http://minio.minio:9000'])('accepts %s, a form of the platform\'s MinIO Service', (endpoint) => {
    expect(problemsWith((raw) => (raw.minio.endpoint = endpoint))).toEqual([]);
  });
});

describe('an external S3 store (minio.externalEndpoint)', () => {
  it.each(['https://s3.example.com:443', 'https://minio.storage.example.com:9000', 'http://minio.shared-storage.svc.cluster.local:9000'])('accepts %s', (endpoint) => {
    const result = loadWith((raw) => (raw.minio.externalEndpoint = endpoint));
    expect(result.problems).toEqual([]);
    expect(result.warnings.map((w) => w.path)).not.toContain('minio.externalEndpoint');
  });

  it('requires a scheme and a port', () => {
    expect(problemsWith((raw) => (raw.minio.externalEndpoint = 's3.example.com:443'))).toEqual([
      'minio.externalEndpoint: "s3.example.com:443" has no scheme, so the registry speaks HTTPS to MinIO\'s plain-HTTP port and fails with "server gave HTTP response to HTTPS client": write the scheme and port, such as "https://s3.example.com:443"',
    ]);
    expect(problemsWith((raw) => (raw.minio.externalEndpoint = 'https://s3.example.com'))).toEqual([
      'minio.externalEndpoint: "https://s3.example.com" has no port, so requests reach the console or the load balancer instead of the S3 API ("S3 API Requests must be made to API port"): add the S3 API port, such as "https://s3.example.com:443"',
    ]);
  });

  it.each(['http://minio.minio.svc.cluster.local:9000', 'https://minio.minio:443'])('refuses %s: the platform\'s own MinIO is not external', (endpoint) => {
    expect(problemsWith((raw) => (raw.minio.externalEndpoint = endpoint))).toEqual([
      `minio.externalEndpoint: "${new URL(endpoint).hostname}" is the platform's own MinIO, not an external store: remove minio.externalEndpoint (the default is "${IN_CLUSTER}"), or set minio.endpoint`,
    ]);
  });

  it('refuses both endpoints at once', () => {
    expect(problemsWith((raw) => {
      raw.minio.endpoint = IN_CLUSTER;
      raw.minio.externalEndpoint = 'https://s3.example.com:443';
    })).toEqual([
      "minio.externalEndpoint: is set together with minio.endpoint; the registry can use only one store: keep externalEndpoint for a store outside the platform, or endpoint for the platform's MinIO",
    ]);
  });

  it('warns about plain HTTP to an external store in prod', () => {
    const result = loadWith((raw) => (raw.minio.externalEndpoint = 'http://s3.example.com:9000'), 'prod');
    expect(result.ok).toBe(true);
    expect(result.warnings).toContainEqual({ path: 'minio.externalEndpoint', message: 'prod reaches its external store over plain HTTP: registry blobs and S3 signatures cross the network unencrypted' });
  });
});

describe('zones and network', () => {
  it('requires exactly three zones', () => {
    expect(problemsWith((raw) => raw.aws.availabilityZones.pop())).toContain(
      'aws.availabilityZones: lists 2 zones; the platform spans exactly three: list three zones of ap-northeast-2, such as ap-northeast-2a, ap-northeast-2b, ap-northeast-2c',
    );
  });

  it('requires distinct zones of the stated region', () => {
    expect(
      problemsWith((raw) => (raw.aws.availabilityZones = ['ap-northeast-2a', 'ap-northeast-2a', 'us-east-1c'])),
    ).toEqual([
      'aws.availabilityZones[2]: "us-east-1c" is not a zone of ap-northeast-2: use a name such as ap-northeast-2a',
      'aws.availabilityZones: lists a zone twice: list three distinct zones',
    ]);
  });

  it.each([
    ['10.20.0.0', '"10.20.0.0" is not an IPv4 CIDR such as "10.20.0.0/16"'],
    ['10.20.0.0/12', '"10.20.0.0/12" has prefix /12; a VPC takes /16 to /24'],
    ['10.20.1.0/16', '"10.20.1.0/16" has host bits set; the network address is 10.20.0.0/16'],
    ['10.300.0.0/16', '"10.300.0.0/16" has an octet above 255'],
  ])('refuses the VPC CIDR %s', (cidr, message) => {
    expect(problemsWith((raw) => (raw.network.vpcCidr = cidr))).toEqual([`network.vpcCidr: ${message}: use a private range such as 10.20.0.0/16`]);
  });

  it('refuses a Kubernetes version the platform is not built for', () => {
    expect(problemsWith((raw) => (raw.cluster.kubernetesVersion = '1.21'))).toEqual([
      'cluster.kubernetesVersion: "1.21" is not a version of the Kubernetes (EKS) this platform is tested with: use 1.35 (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs its kubectl layer in packages/infra, EKS standard support for it, and the charts rendered at that version to pass first)',
    ]);
  });

  it('keeps a node in every zone', () => {
    expect(problemsWith((raw) => (raw.cluster.nodeGroups.minPerAz = 0))).toEqual([
      'cluster.nodeGroups.minPerAz: is 0, so an AZ can be left without nodes and its EBS-backed pods cannot start: set minPerAz to at least 1 so every AZ keeps a node',
    ]);
  });

  it('keeps desired at or above the minimum', () => {
    expect(problemsWith((raw) => {
      raw.minio.pools[0].serversPerAz = 2;
      raw.cluster.nodeGroups.minPerAz = 2;
    })).toEqual(['cluster.nodeGroups.desiredPerAz: 1 is below minPerAz 2: raise desiredPerAz to at least 2']);
  });

  it('refuses maxPerAz, which did nothing without an autoscaler, naming the fix', () => {
    expect(schemaProblemsWith((raw) => (raw.cluster.nodeGroups.maxPerAz = 4))).toEqual([
      'cluster.nodeGroups.maxPerAz: was removed: no autoscaler runs, so it never added a node: delete it (each group runs desiredPerAz nodes, and minPerAz is checked against what must run in the AZ)',
    ]);
  });

  it('warns when prod has a single NAT gateway', () => {
    const result = loadWith((raw) => (raw.network.natGateways = 'single'), 'prod');
    expect(result.ok).toBe(true);
    expect(result.warnings).toContainEqual({ path: 'network.natGateways', message: 'prod with a single NAT gateway loses egress when its AZ fails' });
  });
});

describe('DNS names, URLs, certificates', () => {
  it('keeps the Harbor hostname in the hosted zone', () => {
    expect(problemsWith((raw) => (raw.dns.hostedZone = 'example.org'))).toEqual([
      'dns.harborHostname: "harbor.dev.example.com" is outside the hosted zone "example.org": use a name under example.org',
    ]);
  });

  it('refuses a DNS name with capitals or underscores', () => {
    expect(schemaProblemsWith((raw) => (raw.dns.hostedZone = 'Dev_Example.com'))).toEqual([
      'dns.hostedZone: is not a DNS name: use lower-case labels of letters, digits and hyphens joined by dots, such as "harbor.example.com"',
    ]);
  });

  it('wants the certificate in the load balancer region', () => {
    expect(problemsWith((raw) => (raw.dns.certificateArn = raw.dns.certificateArn.replace('ap-northeast-2', 'us-east-1')))).toEqual([
      'dns.certificateArn: is in us-east-1, but the load balancer is in ap-northeast-2: use an ACM certificate issued in ap-northeast-2',
    ]);
  });

  it('requires Harbor on HTTPS at its hostname', () => {
    expect(problemsWith((raw) => (raw.harbor.externalUrl = 'http://registry.dev.example.com/harbor'))).toEqual([
      'harbor.externalUrl: uses http; docker clients and the ALB listener expect HTTPS: set it to https://harbor.dev.example.com',
      'harbor.externalUrl: host "registry.dev.example.com" differs from dns.harborHostname "harbor.dev.example.com": set it to https://harbor.dev.example.com',
      'harbor.externalUrl: carries a port, path or query; Harbor is served at the root on 443: set it to https://harbor.dev.example.com',
    ]);
  });

  it('refuses a URL that is not absolute', () => {
    expect(problemsWith((raw) => (raw.harbor.externalUrl = 'harbor.dev.example.com'))).toEqual([
      'harbor.externalUrl: "harbor.dev.example.com" is not an absolute URL: set it to https://harbor.dev.example.com',
    ]);
  });
});

describe('MinIO layout and image', () => {
  it('refuses a layout that loses read quorum with an AZ, with the numbers', () => {
    expect(problemsWith((raw) => (raw.minio.parity = 1))).toEqual([
      'minio.tolerateZoneLoss: "readWrite" cannot be met by pool 0: an AZ holds 2 drives of a 6-drive set with EC:1, leaving 4 when it fails, below the read quorum of 5: keep at most 1 drive of a set per AZ, or raise the parity',
    ]);
  });

  it('refuses readWrite but accepts read when only write quorum is lost', () => {
    const layout = (raw: any) => {
      raw.minio.pools[0].drivesPerServer = 4;
      raw.minio.setDriveCount = 4;
    };
    expect(problemsWith(layout)).toEqual([
      'minio.tolerateZoneLoss: "readWrite" cannot be met by pool 0: an AZ holds 2 drives of a 4-drive set with EC:2, leaving 2 when it fails, not more than half of the set: MinIO refuses new writes then, even at raised parity: keep at most 1 drive of a set per AZ, fewer than half of the set (more servers per AZ or fewer drives per server), or lower the goal to "read"',
    ]);
    expect(problemsWith((raw) => {
      layout(raw);
      raw.minio.tolerateZoneLoss = 'read';
    })).toEqual([]);
  });

  it('refuses pools whose drives do not form erasure sets', () => {
    expect(problemsWith((raw) => (raw.minio.setDriveCount = 4))).toEqual([
      'minio.pools[0]: 6 drives cannot form erasure sets of 2 to 16 drives of 4 each: change servers or drives so the total divides into such sets',
    ]);
  });

  it('refuses parity above half the set', () => {
    expect(problemsWith((raw) => (raw.minio.parity = 4))).toEqual([
      "minio.parity: EC:4 is above half of pool 0's 6-drive sets, so MinIO refuses to start (it applies one parity to every pool): use a parity from 0 to 3",
    ]);
  });

  /** A second pool, and nodes enough for two servers per AZ. */
  const twoPools = (second: { serversPerAz: number; drivesPerServer: number }, tolerateZoneLoss = 'none') => (raw: any) => {
    raw.minio.pools.push({ ...second, driveSize: '50Gi' });
    raw.minio.tolerateZoneLoss = tolerateZoneLoss;
    const nodes = 1 + second.serversPerAz;
    raw.cluster.nodeGroups = { ...raw.cluster.nodeGroups, minPerAz: nodes, desiredPerAz: nodes };
  };

  it("refuses a second pool too small for the first pool's default parity (MinIO applies one parity to all pools)", () => {
    expect(problemsWith(twoPools({ serversPerAz: 1, drivesPerServer: 1 }))).toEqual([
      "minio.pools[1]: its 3-drive sets cannot take EC:3, the default parity of the first pool's 6-drive sets that MinIO applies to every pool, so MinIO refuses to start: set minio.parity to at most 1, or give pool 1 sets of at least 6 drives (more servers or drives per server)",
    ]);
  });

  it('accepts that layout with a parity every pool can take, and checks the zone-loss goal under it', () => {
    expect(problemsWith((raw) => {
      twoPools({ serversPerAz: 1, drivesPerServer: 1 })(raw);
      raw.minio.parity = 1;
    })).toEqual([]);
    expect(problemsWith((raw) => {
      twoPools({ serversPerAz: 1, drivesPerServer: 1 }, 'read')(raw);
      raw.minio.parity = 1;
    })).toEqual([
      'minio.tolerateZoneLoss: "read" cannot be met by pool 0: an AZ holds 2 drives of a 6-drive set with EC:1, leaving 4 when it fails, below the read quorum of 5: keep at most 1 drive of a set per AZ, or raise the parity',
    ]);
  });

  it("judges a larger second pool under the first pool's parity, not its own default", () => {
    // One server with 4 drives per AZ alone: a 12-drive set with EC:4 that keeps writes without an AZ.
    // After a first pool of 3-drive sets the common parity is EC:1, and an AZ holds 4 of its drives.
    expect(problemsWith((raw) => {
      raw.minio.pools[0].drivesPerServer = 1;
      twoPools({ serversPerAz: 1, drivesPerServer: 4 }, 'readWrite')(raw);
    })).toEqual([
      'minio.tolerateZoneLoss: "readWrite" cannot be met by pool 1: an AZ holds 4 drives of a 12-drive set with EC:1, leaving 8 when it fails, below the read quorum of 11: keep at most 1 drive of a set per AZ, or raise the parity',
    ]);
  });

  it('refuses an image that is not pinned by digest', () => {
    expect(problemsWith((raw) => (raw.minio.image = 'minio/minio:latest'))).toEqual([
      'minio.image: "minio/minio:latest" is not pinned by digest (upstream stopped publishing images and removed minio/minio from Docker Hub, so a tag can vanish or change): pin it as registry/repository:RELEASE.<date>@sha256:<64 hex> (a quay.io snapshot or a maintained fork), or leave minio.image out and the platform builds it',
    ]);
  });

  it('takes no minio.image (the platform builds the fixed release) without a warning', () => {
    const built = loadWith((raw) => delete raw.minio.image);
    expect(built.ok).toBe(true);
    expect(built.warnings.filter((w) => w.path === 'minio.image')).toEqual([]);
  });

  it('warns about an external release older than the October 2025 security fix, and not about a newer one', () => {
    // A syntactically pinned reference: the rule reads the tag, not the registry.
    const pinned = (tag: string) => `registry.example.com/minio/minio:${tag}@sha256:${'b'.repeat(64)}`;
    const old = loadWith((raw) => (raw.minio.image = pinned('RELEASE.2025-09-07T16-13-09Z')));
    expect(old.warnings).toContainEqual({
      path: 'minio.image',
      message:
        'release RELEASE.2025-09-07T16-13-09Z predates the October 2025 security fix (GHSA-jjjj-jwhf-8rgr, fixed in RELEASE.2025-10-15T17-29-55Z); leave minio.image out (the platform builds the final source) or use a maintained fork',
    });
    const fixed = loadWith((raw) => (raw.minio.image = pinned('RELEASE.2025-10-15T17-29-55Z')));
    expect(fixed.warnings.filter((w) => w.path === 'minio.image')).toEqual([]);
  });

  it('warns when the release cannot be told from the image', () => {
    const result = loadWith((raw) => (raw.minio.image = `registry.example.com/minio@sha256:${'a'.repeat(64)}`));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toContain('minio.image');
  });

  it('refuses a bucket name S3 would refuse', () => {
    expect(schemaProblemsWith((raw) => (raw.minio.bucket = 'Harbor_Registry'))).toEqual([
      'minio.bucket: is not a valid S3 bucket name: use 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
    ]);
    expect(schemaProblemsWith((raw) => (raw.minio.bucket = 'harbor..registry'))).toEqual([
      'minio.bucket: is not a valid S3 bucket name: no adjacent dots, no dot next to a hyphen, not an IP address, no "xn--" prefix or "-s3alias" suffix',
    ]);
  });
});

describe('cross-field rules', () => {
  it('requires the connection settings of an external database', () => {
    expect(schemaProblemsWith((raw) => (raw.harbor.database = { type: 'external', multiAz: true }))).toEqual([
      'harbor.database.instanceClass: is required: add it (string)',
      'harbor.database.engineVersion: is required: add it (string)',
      'harbor.database.allocatedStorageGiB: is required: add it (number)',
      'harbor.database.credentialsSecret: is required with an external database: Harbor reads the generated credentials by this name: name it, such as "harbor-platform/dev/harbor-database"',
    ]);
  });

  it('requires a search DN and its password secret when anonymous search is off', () => {
    expect(problemsWith((raw) => {
      delete raw.ldap.searchDn;
      delete raw.ldap.bindPasswordSecret;
    })).toEqual([
      'ldap.searchDn: is required when anonymousSearch is off: name the search account, such as "cn=harbor,ou=services,dc=example,dc=com", or set anonymousSearch: true',
      'ldap.bindPasswordSecret: is required when anonymousSearch is off: name the Secrets Manager secret holding the search account password',
    ]);
    expect(problemsWith((raw) => {
      delete raw.ldap.searchDn;
      delete raw.ldap.bindPasswordSecret;
      raw.ldap.anonymousSearch = true;
    })).toEqual([]);
  });

  it('refuses two fields naming one Secrets Manager secret', () => {
    expect(problemsWith((raw) => (raw.minio.harborCredentialsSecret = raw.minio.rootCredentialsSecret))).toEqual([
      'minio.harborCredentialsSecret: names the secret "harbor-platform/dev/minio-root" that minio.rootCredentialsSecret already uses: give each secret its own Secrets Manager name',
    ]);
  });

  it('requires reviewers for prod', () => {
    expect(problemsWith((raw) => (raw.github.requireReviewers = false), 'prod')).toEqual([
      'github.requireReviewers: prod deploys without required reviewers: set requireReviewers: true for a prod environment',
    ]);
  });

  it('refuses an existing OIDC provider of another account', () => {
    expect(problemsWith((raw) => (raw.github.oidcProviderArn = 'arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com'))).toEqual([
      'github.oidcProviderArn: names account 999999999999, but the environment deploys to 111111111111: use the provider of account 111111111111, or leave the field out and let the GitHub stack create it',
    ]);
    expect(problemsWith((raw) => (raw.github.oidcProviderArn = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com'))).toEqual([]);
  });

  it('refuses an OIDC provider of another issuer and a GitHub environment no sub claim matches exactly', () => {
    const [provider] = problemsWith((raw) => (raw.github.oidcProviderArn = 'arn:aws:iam::111111111111:oidc-provider/example.com'));
    expect(provider).toMatch(/^github\.oidcProviderArn: .*is not the ARN of a GitHub OIDC provider/);
    const [environment] = problemsWith((raw) => (raw.github.environment = 'prod*'));
    expect(environment).toMatch(/^github\.environment: .*must name one GitHub environment exactly/);
  });

  it("keeps Harbor's garbage collection out of the registry-data backup window", () => {
    expect(problemsWith((raw) => (raw.harbor.gc.cron = '0 2 * * 6'))).toEqual([
      'harbor.gc.cron: garbage collection at 02:00 UTC (Sat) falls within the 90-minute registry-data backup window, so it can delete blobs the copy is reading: move it outside 30 1 * * * + 90 minutes, or lower registryBackup.maxDurationMinutes',
    ]);
    expect(problemsWith((raw) => (raw.harbor.gc.cron = '0 3 * * 6'))).toEqual([]);
  });

  it('catches a backup window that wraps past midnight', () => {
    expect(problemsWith((raw) => {
      raw.registryBackup.cron = '0 23 * * *';
      raw.registryBackup.maxDurationMinutes = 120;
      raw.harbor.gc.cron = '30 0 * * 0';
    })).toEqual([expect.stringMatching(/^harbor\.gc\.cron: garbage collection at 00:30 UTC \(Sun\) falls within the 120-minute/)]);
  });

  it('keeps the registry copy out of Velero\'s prefix in a shared bucket', () => {
    expect(problemsWith((raw) => (raw.registryBackup.prefix = 'velero/registry/'))).toEqual([
      'registryBackup.prefix: "velero/registry/" lies under Velero\'s prefix in the same bucket: use a prefix of its own, such as "registry-data/"',
    ]);
  });

  it('keeps Harbor, MinIO and Velero in their own namespaces', () => {
    expect(problemsWith((raw) => (raw.minio.namespace = 'harbor'))).toEqual([
      'harbor.namespace: Harbor, MinIO and Velero share a namespace: give each its own namespace so network policies and restores can treat them apart',
    ]);
  });
});

describe('schedules, TTLs and LDAP syntax', () => {
  it.each([
    ['0 3 * *', '"0 3 * *" has 4 fields, not 5'],
    ['0 25 * * *', '"0 25 * * *" is not a valid cron expression (Constraint error, got value 25 expected range 0-23)'],
  ])('refuses the cron expression %s', (cron, message) => {
    expect(problemsWith((raw) => (raw.velero.schedules[0].cron = cron))).toEqual([
      `velero.schedules[0].cron: ${message}: write five fields: minute hour day-of-month month day-of-week, such as "0 3 * * *"`,
    ]);
  });

  it('refuses a TTL that is not a duration', () => {
    expect(schemaProblemsWith((raw) => (raw.velero.schedules[0].ttl = '7 days'))).toEqual([
      'velero.schedules[0].ttl: is not a duration: write hours, minutes and seconds such as "720h" or "72h30m"',
    ]);
  });

  it("requires a schedule that backs up Harbor's and MinIO's objects together", () => {
    expect(problemsWith((raw) => (raw.velero.schedules[0].includedNamespaces = ['harbor']))).toEqual([
      'velero.schedules: no schedule backs up both "harbor" and "minio", so the restore drill has no backup of MinIO\'s objects to restore beside Harbor: add minio to the includedNamespaces of a schedule that includes harbor',
    ]);
  });

  it('refuses duplicate schedule names', () => {
    expect(problemsWith((raw) => raw.velero.schedules.push({ ...raw.velero.schedules[0], cron: '0 4 * * *' }))).toEqual([
      'velero.schedules[1].name: "harbor-daily" is used by another schedule: give each schedule its own name',
    ]);
  });

  it('refuses a malformed DN and an unbalanced filter', () => {
    expect(problemsWith((raw) => {
      raw.ldap.baseDn = 'people.example.com';
      raw.ldap.filter = '(objectClass=person';
    })).toEqual([
      'ldap.baseDn: "people.example.com" is not a distinguished name: write it as attribute=value pairs joined by commas, such as "ou=people,dc=example,dc=com"',
      'ldap.filter: "(objectClass=person" is not an LDAP filter: wrap it in balanced parentheses, such as "(objectClass=person)"',
    ]);
  });

  it('refuses a non-LDAP URL and unverified certificates in prod', () => {
    expect(problemsWith((raw) => {
      raw.ldap.url = 'https://ldap.example.com';
      raw.ldap.verifyCertificate = false;
    }, 'prod')).toEqual([
      'ldap.url: scheme "https" is not LDAP: use ldaps:// (ldap:// is plain text: Harbor does not use StartTLS)',
      "ldap.verifyCertificate: is off in prod, so any server can impersonate the directory: set verifyCertificate: true, and name the directory's CA bundle in caBundleSecret when a private CA issued its certificate",
    ]);
  });

  it('refuses an upper-case scheme, which Harbor compares as written (formatURL: "unknown ldap protocol"), in dev and in prod', () => {
    for (const env of ['dev', 'prod'] as const) {
      expect(problemsWith((raw) => (raw.ldap.url = 'LDAPS://ldap.example.com:636'), env)).toEqual([
        'ldap.url: scheme "LDAPS" is not lower case: Harbor compares it as written and refuses it as an unknown LDAP protocol: write ldaps://ldap.example.com:636',
      ]);
    }
  });

  it('takes a CA bundle for an ldaps:// directory with certificate checks (and for ldap:// on 636, which Harbor dials with TLS)', () => {
    expect(problemsWith((raw) => (raw.ldap.caBundleSecret = 'harbor-platform/prod/ldap-ca'), 'prod')).toEqual([]);
    expect(problemsWith((raw) => {
      raw.ldap.caBundleSecret = 'harbor-platform/dev/ldap-ca';
      raw.ldap.url = 'ldap://ldap.dev.example.com:636';
    })).toEqual([]);
  });

  it.each(['ldap://ldap.dev.example.com:389', 'ldap://ldap.dev.example.com'])('refuses a CA bundle with plain %s', (url) => {
    expect(problemsWith((raw) => {
      raw.ldap.caBundleSecret = 'harbor-platform/dev/ldap-ca';
      raw.ldap.url = url;
    })).toEqual([
      `ldap.caBundleSecret: "${url}" is plain LDAP (Harbor does not use StartTLS), so no certificate is checked and the bundle would never be used: use an ldaps:// URL, or remove caBundleSecret`,
    ]);
  });

  it('refuses plain ldap:// in prod (Harbor has no StartTLS), naming the ldaps:// URL to use; dev keeps a warning', () => {
    expect(problemsWith((raw) => (raw.ldap.url = 'ldap://ldap.example.com:389'), 'prod')).toEqual([
      'ldap.url: "ldap://ldap.example.com:389" is plain LDAP in prod: the search password and every user\'s password cross the network in clear text (Harbor does not use StartTLS): use ldaps://ldap.example.com:636',
    ]);
    const dev = loadWith((raw) => (raw.ldap.url = 'ldap://ldap.dev.example.com'));
    expect(dev.problems).toEqual([]);
    expect(dev.warnings).toContainEqual({ path: 'ldap.url', message: 'binds over plain ldap://: the search password crosses the network in clear text (allowed outside prod)' });
    // ldap:// on 636 is dialled with TLS: neither refused nor warned.
    const tls = loadWith((raw) => (raw.ldap.url = 'ldap://ldap.example.com:636'), 'prod');
    expect(tls.problems).toEqual([]);
    expect(tls.warnings.map((w) => w.path)).not.toContain('ldap.url');
  });

  it('refuses a CA bundle while certificates are not checked', () => {
    expect(problemsWith((raw) => {
      raw.ldap.caBundleSecret = 'harbor-platform/dev/ldap-ca';
      raw.ldap.verifyCertificate = false;
    })).toEqual([
      'ldap.caBundleSecret: is set while verifyCertificate is false, so Harbor accepts any certificate and the bundle changes nothing: set verifyCertificate: true (the bundle is how a private CA is trusted), or remove caBundleSecret',
    ]);
  });

  it('refuses a CA bundle secret that another field already names', () => {
    expect(problemsWith((raw) => (raw.ldap.caBundleSecret = raw.ldap.bindPasswordSecret))).toEqual([
      'ldap.caBundleSecret: names the secret "harbor-platform/dev/ldap-bind" that ldap.bindPasswordSecret already uses: give each secret its own Secrets Manager name',
    ]);
  });

  it('refuses an account id that YAML turned into a number', () => {
    expect(schemaProblemsWith((raw) => (raw.aws.account = 111111111111))).toEqual([
      'aws.account: is number 111111111111, expected string: write a string',
    ]);
  });
});

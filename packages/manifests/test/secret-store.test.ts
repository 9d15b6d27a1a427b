import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment } from './util.js';
import { SecretStoreChart } from '../src/index.js';

describe('SecretStoreChart', () => {
  it('lets the secret store serve only the platform namespaces and their drill copies', () => {
    const { aws, names, drill } = environment().plan;
    const [store] = new SecretStoreChart(Testing.app(), 'secret-store', { plan: { aws, names, drill } }).toJson();
    expect(store.spec.conditions).toEqual([{ namespaces: ['harbor', 'minio', 'harbor-drill', 'minio-drill'] }]);
    expect(store.spec.provider).toEqual({ aws: { service: 'SecretsManager', region: 'ap-northeast-2' } });
  });
});

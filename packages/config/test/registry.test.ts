import { describe, expect, it } from 'vitest';
import { distributionConfig, registryStorage } from '../src/index.js';

describe('registry storage settings', () => {
  it('keeps the scheme and port of the endpoint and turns off redirects', () => {
    const s = registryStorage({ endpoint: 'http://minio.minio.svc.cluster.local:9000', bucket: 'harbor-registry', region: 'ap-northeast-2' });
    expect(s).toEqual({
      region: 'ap-northeast-2',
      bucket: 'harbor-registry',
      regionendpoint: 'http://minio.minio.svc.cluster.local:9000',
      secure: false,
      v4auth: true,
      disableredirect: true,
      chunksize: 10 * 1024 * 1024,
    });
  });

  it('speaks TLS to an https endpoint and keeps a root directory', () => {
    const s = registryStorage({ endpoint: 'https://s3.internal:8443/', bucket: 'b-1', region: 'r', rootDirectory: '/registry' });
    expect(s.secure).toBe(true);
    expect(s.regionendpoint).toBe('https://s3.internal:8443');
    expect(s.rootdirectory).toBe('/registry');
  });

  it('renders a distribution config with the credentials in the file and basic auth on', () => {
    const s = registryStorage({ endpoint: 'http://127.0.0.1:7480', bucket: 'reg', region: 'local' });
    const c = distributionConfig(s, { addr: '127.0.0.1:5000', accessKey: 'AK', secretKey: 'SK', httpSecret: 'hs', htpasswdPath: '/tmp/htpasswd' });
    expect(c.storage.s3).toMatchObject({ regionendpoint: 'http://127.0.0.1:7480', bucket: 'reg', accesskey: 'AK', secretkey: 'SK', secure: false });
    expect(c.storage.redirect).toEqual({ disable: true });
    expect(c.storage.s3).not.toHaveProperty('disableredirect');
    expect(c.auth).toEqual({ htpasswd: { realm: 'harbor-platform', path: '/tmp/htpasswd' } });
    expect(c.http.addr).toBe('127.0.0.1:5000');
  });
});

import { RegistryError } from '../errors.js';
import { digestOf, type Digest } from './digest.js';
import type { RegistryHttp } from './http.js';

/** Where the registry wants the next part of an upload session. */
function nextLocation(location: string | null, what: string): string {
  if (!location) throw new RegistryError(`${what}: the registry answered without a Location header`);
  return location;
}

function withDigest(location: string, digest: Digest): string {
  return location + (location.includes('?') ? '&' : '?') + 'digest=' + encodeURIComponent(digest);
}

async function startUpload(http: RegistryHttp, repository: string): Promise<string> {
  const res = await http.send({ method: 'POST', path: `/v2/${repository}/blobs/uploads/`, repository, ok: [202], headers: { 'content-length': '0' } });
  await res.discard();
  return nextLocation(res.headers.get('location'), `POST /v2/${repository}/blobs/uploads/`);
}

/** Monolithic upload: open a session (POST), then send every byte with the closing PUT. */
export async function pushBlobMonolithic(http: RegistryHttp, repository: string, bytes: Uint8Array): Promise<Digest> {
  const digest = digestOf(bytes);
  const location = await startUpload(http, repository);
  const res = await http.send({
    method: 'PUT',
    path: withDigest(location, digest),
    repository,
    body: bytes,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) },
    ok: [201],
    retry: false,
  });
  await res.discard();
  return checkCreated(res.headers.get('docker-content-digest'), digest, repository);
}

/** Chunked upload: POST, one PATCH per chunk with its `Content-Range`, then an empty closing PUT. */
export async function pushBlobChunked(http: RegistryHttp, repository: string, bytes: Uint8Array, chunkSize: number): Promise<Digest> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RegistryError(`chunk size must be a positive whole number of bytes, got ${chunkSize}`);
  const digest = digestOf(bytes);
  let location = await startUpload(http, repository);
  for (let start = 0; start < bytes.byteLength; start += chunkSize) {
    const chunk = bytes.subarray(start, Math.min(start + chunkSize, bytes.byteLength));
    const res = await http.send({
      method: 'PATCH',
      path: location,
      repository,
      body: chunk,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(chunk.byteLength),
        'content-range': `${start}-${start + chunk.byteLength - 1}`,
      },
      ok: [202],
      retry: false,
    });
    await res.discard();
    const range = res.headers.get('range');
    const expectedEnd = start + chunk.byteLength - 1;
    if (range && range !== `0-${expectedEnd}`) throw new RegistryError(`chunked upload to ${repository}: the registry holds bytes ${range}, expected 0-${expectedEnd}`);
    location = nextLocation(res.headers.get('location'), `PATCH upload of ${repository}`);
  }
  const res = await http.send({ method: 'PUT', path: withDigest(location, digest), repository, headers: { 'content-length': '0' }, ok: [201], retry: false });
  await res.discard();
  return checkCreated(res.headers.get('docker-content-digest'), digest, repository);
}

function checkCreated(header: string | null, digest: Digest, repository: string): Digest {
  if (header && header !== digest) throw new RegistryError(`upload to ${repository}: the registry stored ${header}, the bytes sent hash to ${digest}`);
  return digest;
}

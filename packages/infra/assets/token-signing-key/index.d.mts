/** Types of index.mjs (the Lambda's code, shipped as it is). */
export interface SecretStore {
  get(secretId: string): Promise<string | undefined>;
  put(secretId: string, value: string): Promise<void>;
}
export interface Properties {
  SecretId: string;
  PrivateKeyField: string;
  CertificateField: string;
  CommonName: string;
  ValidityDays: string;
}
export function selfSignedKeyPair(o: { commonName: string; days: number; modulusLength?: number; now?: Date }): { privateKey: string; certificate: string };
export function holdsKeyPair(secretString: string | undefined, fields: { privateKey: string; certificate: string }): boolean;
export function fillOnce(store: SecretStore, p: Properties): Promise<'kept' | 'created'>;
export function handle(
  event: any,
  deps?: { store?: SecretStore; respond?: (url: string, body: string) => Promise<void> },
): Promise<{ Status: string; Reason: string; PhysicalResourceId: string }>;
export function handler(event: any): ReturnType<typeof handle>;

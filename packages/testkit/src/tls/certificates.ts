import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl } from './openssl.js';

/** A throw-away certificate authority and a leaf for 127.0.0.1 / localhost, all PEM. */
export interface TestkitCertificates {
  /** The CA certificate a client must trust (see `trustTestkitCa`). */
  readonly ca: string;
  /** The server's private key; lives only in memory, never on disk after generation. */
  readonly key: string;
  /** The leaf certificate, valid for IP 127.0.0.1, IP ::1 and DNS localhost, signed by `ca`. */
  readonly cert: string;
}

// P-256 keys: generating them takes a few milliseconds, RSA-2048 takes a hundred or more.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

const LEAF_EXTENSIONS = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=serverAuth',
  'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
].join('\n');

/**
 * Generates a fresh CA and leaf with openssl in a private temporary directory, reads the PEMs and
 * deletes the directory, so no private key outlives the call on disk. Valid for two days: a test
 * run never needs more, and a leaked certificate is useless soon after.
 */
export async function generateTestkitCertificates(): Promise<TestkitCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'prozvon-tls-'));
  try {
    await openssl(
      [
        'req',
        '-x509',
        ...EC_KEY,
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-days',
        '2',
        '-subj',
        '/O=Prozvon testkit/CN=Prozvon testkit CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
    await openssl(
      ['req', '-new', ...EC_KEY, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost'],
      dir,
    );
    await writeFile(join(dir, 'leaf.ext'), LEAF_EXTENSIONS, { mode: 0o600 });
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        'leaf.csr',
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-set_serial',
        `0x${Date.now().toString(16)}`,
        '-days',
        '2',
        '-extfile',
        'leaf.ext',
        '-out',
        'leaf.crt',
      ],
      dir,
    );
    const [ca, key, cert] = await Promise.all(
      ['ca.crt', 'leaf.key', 'leaf.crt'].map((name) => readFile(join(dir, name), 'utf8')),
    );
    return { ca: ca ?? '', key: key ?? '', cert: cert ?? '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let shared: Promise<TestkitCertificates> | undefined;

/**
 * One CA per process: every simulator started in a test file shares it, so the file trusts one CA
 * once and pays for openssl once (about 30 ms). A failed generation is not cached.
 */
export function testkitCertificates(): Promise<TestkitCertificates> {
  shared ??= generateTestkitCertificates().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

import type { IncomingMessage } from 'node:http';
import { RestError, systemErrors } from './errors.js';
import { storeRecord } from './methods/telephony.js';
import type { Portal } from './portal.js';

/** A call recording can be large (the reason for the two-step upload); a test file is not. */
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD_BYTES) throw new RestError(413, 'INVALID_REQUEST', 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The second step of attachRecord with FILENAME alone: `POST /rest/upload.json?auth=…&token=…`,
 * multipart with the file in `fieldName` (`file`), as disk-folder-upload-file.md#uploadurl
 * describes for the same mechanism. The `auth` in the URL is the caller's access token, checked
 * like any REST call's: without it 401 NO_AUTH_FOUND, past its hour 401 expired_token. What the
 * portal answers for a telephony upload is unverified: `{ result: { FILE_ID } }` here, like the
 * one-step attach.
 */
export async function handleRecordUpload(
  req: IncomingMessage,
  portal: Portal,
  clientId: string | undefined,
  token: string,
): Promise<{ FILE_ID: number }> {
  const upload = portal.recordUploads.get(token);
  // A token from another app or portal is as good as none (unverified wording).
  if (upload === undefined || upload.clientId !== clientId) throw systemErrors.noAuth();
  const contentType = req.headers['content-type'] ?? '';
  const bytes = await readAll(req);
  let file: File | string | null = null;
  try {
    file = (await new Response(bytes, { headers: { 'content-type': contentType } }).formData()).get('file');
  } catch {
    file = null;
  }
  if (file === null || typeof file === 'string') {
    throw new RestError(400, 'ERROR_CORE', 'File content is empty.');
  }
  const call = portal.calls.get(upload.callId);
  if (call?.finished === undefined) {
    throw new RestError(
      400,
      'ERROR_CORE',
      'Call is not found in the statistic table. It looks like it is not finished yet.',
    );
  }
  const size = (await file.arrayBuffer()).byteLength;
  return { FILE_ID: storeRecord({ portal }, call, { fileName: upload.fileName, url: null, size }) };
}

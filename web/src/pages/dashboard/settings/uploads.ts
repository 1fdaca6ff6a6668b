/**
 * The streamer's uploads (images and sounds for alert designs): list and send a file as the raw
 * request body to POST /me/uploads?kind=…&name=…, the way the API takes it.
 */
import { currentAccessToken, ApiError, api } from '../../../api';
import { lang } from '../../../i18n';

/** One upload as GET/POST /me/uploads answer it. */
export interface Upload {
  id: string;
  url: string;
  kind: 'image' | 'sound';
  mime: string;
  size: number;
  name: string;
}

/** The streamer's uploads of `kind`, newest first as the API orders them. */
export async function listUploads(kind: 'image' | 'sound'): Promise<Upload[]> {
  return (await api<{ uploads: Upload[] }>(`/me/uploads?kind=${kind}`)).uploads;
}

/**
 * Sends `file` as an upload of `kind`.
 * @throws {ApiError} when refused (400/413, the reason in `fields.file`, in the reader's language)
 */
export async function uploadFile(kind: 'image' | 'sound', file: File): Promise<Upload> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': lang(),
    'content-type': file.type || 'application/octet-stream',
  };
  const token = currentAccessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`/api/v1/me/uploads?kind=${kind}&name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: file,
  });
  if (!res.ok) {
    let body: { error?: { code?: string; message?: string; details?: { fields?: Record<string, string> } } } =
      {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      /* not JSON */
    }
    throw new ApiError(
      res.status,
      body.error?.code ?? 'HTTP_' + res.status,
      body.error?.message ?? res.statusText,
      body.error?.details?.fields ?? {},
    );
  }
  return (await res.json()) as Upload;
}

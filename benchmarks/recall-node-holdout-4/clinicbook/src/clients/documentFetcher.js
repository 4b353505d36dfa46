import { getHttpClient } from './httpClientFactory.js';

const http = getHttpClient('documents', { timeout: 10000 });

export async function downloadDocument(sourceUrl) {
  const response = await http.get(sourceUrl, { responseType: 'arraybuffer' });
  return {
    bytes: Buffer.from(response.data),
    contentType: response.headers['content-type'] || 'application/octet-stream',
  };
}

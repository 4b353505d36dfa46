import axios from 'axios';
import { config } from '../config.js';

export interface UploadTicket {
  assetId: string;
  uploadUrl: string;
  expiresAt: string;
}

const api = axios.create({
  baseURL: config.video.baseUrl,
  headers: { 'x-api-key': config.video.apiKey },
});

export async function createUploadTicket(courseId: string, lessonId: string): Promise<UploadTicket> {
  const { data } = await api.post<UploadTicket>('/v1/uploads', {
    passthrough: `${courseId}:${lessonId}`,
    playback_policy: 'signed',
  });
  return data;
}

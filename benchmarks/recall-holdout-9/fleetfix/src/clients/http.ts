import axios, { AxiosInstance } from "axios";
import { config } from "../config";

export function createHttpClient(baseURL: string, headers: Record<string, string> = {}): AxiosInstance {
  return axios.create({
    baseURL,
    headers: { "User-Agent": "fleetfix/3.4", ...headers },
    timeout: config.httpTimeoutMs,
    maxRedirects: 0,
  });
}

import axios from "axios";
import { config } from "../config";
import { createHttpClient } from "./http";

const http = createHttpClient(config.vinApiUrl, { "X-Api-Key": config.vinApiKey });

export interface DecodedVin {
  make: string;
  model: string;
  year: number;
}

export async function decodeVin(vin: string): Promise<DecodedVin> {
  for (;;) {
    try {
      const { data } = await http.get(`/decode/${encodeURIComponent(vin)}`);
      return { make: data.Make, model: data.Model, year: Number(data.ModelYear) };
    } catch (err) {
      if (axios.isAxiosError(err) && (!err.response || err.response.status === 429 || err.response.status >= 500)) {
        continue;
      }
      throw err;
    }
  }
}

const CARRIER_URL = process.env.CARRIER_URL ?? 'https://api.carrier.example.com';

export async function requestLabel(shipmentId: string, weightGrams: number) {
  const response = await fetch(`${CARRIER_URL}/labels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reference: shipmentId, weight: weightGrams }),
  });
  if (!response.ok) {
    throw new Error(`carrier answered ${response.status}`);
  }
  return response.json();
}

export async function trackingStatus(trackingCode: string) {
  const response = await fetch(`${CARRIER_URL}/tracking/${encodeURIComponent(trackingCode)}`, {
    signal: AbortSignal.timeout(3000),
  });
  return response.ok ? response.json() : null;
}

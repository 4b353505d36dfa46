export interface EligibilityResult {
  eligible: boolean;
  planName?: string;
  copay?: string;
}

export interface InsuranceClient {
  checkEligibility(memberId: string, visitType: string): Promise<EligibilityResult>;
}

export function createInsuranceClient(opts: { baseUrl: string; apiKey: string }): InsuranceClient {
  return {
    async checkEligibility(memberId, visitType) {
      const url = new URL('/v1/eligibility', opts.baseUrl);
      url.searchParams.set('member_id', memberId);
      url.searchParams.set('service', visitType);
      const res = await fetch(url, {
        headers: { Authorization: `Bearer ${opts.apiKey}`, Accept: 'application/json' },
      });
      if (!res.ok) {
        throw new Error(`eligibility check failed with ${res.status}`);
      }
      const body = (await res.json()) as { eligible: boolean; plan_name?: string; copay?: string };
      return { eligible: body.eligible, planName: body.plan_name, copay: body.copay };
    },
  };
}

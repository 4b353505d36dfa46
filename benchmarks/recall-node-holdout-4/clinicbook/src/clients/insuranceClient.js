import axios from 'axios';
import { config } from '../config/index.js';

// Clearinghouse eligibility check (270/271 wrapped as JSON by the vendor).
export async function checkEligibility({ payerId, memberId, dateOfBirth, serviceDate }) {
  const response = await axios.post(
    `${config.insurance.baseUrl}/eligibility`,
    {
      payer_id: payerId,
      member_id: memberId,
      dob: dateOfBirth,
      service_date: serviceDate,
    },
    { headers: { 'x-api-key': config.insurance.apiKey } },
  );
  const { coverage_active: active, copay, plan_name: planName } = response.data;
  return { active: Boolean(active), copay, planName };
}

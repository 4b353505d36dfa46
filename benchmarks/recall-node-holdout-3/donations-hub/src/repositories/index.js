export * as campaigns from './campaignRepository.js';
export * as donations from './donationRepository.js';
export * as donors from './donorRepository.js';
export * as matches from './matchRepository.js';
export * as payouts from './payoutRepository.js';

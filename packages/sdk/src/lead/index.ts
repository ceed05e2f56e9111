export { LEAD_LIMITS, type Lead, type LeadInput, leadInputSchema } from './lead-schema.js';
export {
  InvalidLeadError,
  invalidLeadBody,
  type LeadIssue,
  type ParseLeadResult,
  parseLead,
} from './parse-lead.js';

export { LEAD_LIMITS, type Lead, type LeadInput, leadInputSchema, UTM_FIELDS } from './lead-schema.js';
export {
  InvalidLeadError,
  invalidLeadBody,
  type LeadIssue,
  type ParseLeadResult,
  parseLead,
} from './parse-lead.js';

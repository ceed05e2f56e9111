export {
  generateTestkitCertificates,
  type TestkitCertificates,
  testkitCertificates,
} from './certificates.js';
export { trustTestkitCa } from './trust.js';

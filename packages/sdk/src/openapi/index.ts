export { intakeOpenApiDocument } from './intake-document.js';

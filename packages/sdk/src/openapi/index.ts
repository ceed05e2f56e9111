import '../runtime/require-node.js';

export { intakeOpenApiDocument } from './intake-document.js';

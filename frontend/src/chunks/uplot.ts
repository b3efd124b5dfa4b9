// Lazy chunk 'uplot' (placeholder while written).
import { registerChunk } from './load';
registerChunk('uplot', {});

// Lazy chunk 'vega' (placeholder while written).
import { registerChunk } from './load';
registerChunk('vega', {});

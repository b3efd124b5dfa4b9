// Lazy chunk 'plotly' (placeholder while written).
import { registerChunk } from './load';
registerChunk('plotly', {});

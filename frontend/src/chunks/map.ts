// Lazy chunk 'map' (placeholder while written).
import { registerChunk } from './load';
registerChunk('map', {});

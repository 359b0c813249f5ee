// `npm run build:bench-page`: builds the browser runner page into profiler/hosts/browser/dist.
import { buildBenchPage } from '../profiler/hosts/browser/build-bench-page.ts';

const out = await buildBenchPage();
console.log(`built the browser runner page into ${out}`);

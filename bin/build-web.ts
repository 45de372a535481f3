// `npm run build` (after type-checking) and `npm run synth`: the page, bundled, in dist/web.
import { WEB_DIST, writeWeb } from '../local/web-build.ts';

await writeWeb(WEB_DIST);
console.log(`web page built in ${WEB_DIST}`);

// Part of `npm run build`: validates the bundled rule packs and stores them as dist/detectors.json.
import { writeRulesCache } from '../dist/detect/load-rules.js';

const count = writeRulesCache();
process.stdout.write(`rules cache: ${count} rules\n`);

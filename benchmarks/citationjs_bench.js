// Times citation-js in-process on one job and prints {"seconds": ..., "count": ...} as JSON.
// Usage: node citationjs_bench.js <job> <input> [style.csl]
//   job: parse (.bib -> CSL-JSON), tobib (CSL-JSON -> BibTeX), format (CSL-JSON -> text bibliography)
// NODE_PATH must point at a node_modules folder holding @citation-js/{core,plugin-bibtex,plugin-csl}.
'use strict';
const fs = require('fs');
const path = require('path');
const { Cite, plugins } = require('@citation-js/core');
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-csl');

const [job, input, stylePath, outPath] = process.argv.slice(2);
const text = fs.readFileSync(input, 'utf8');
let template = null;
if (stylePath) {
  template = 'bench-' + path.basename(stylePath, '.csl');
  const csl = plugins.config.get('@csl');
  (csl.styles || csl.templates).add(template, fs.readFileSync(stylePath, 'utf8'));
}
const t0 = process.hrtime.bigint();
let out;
let count;
if (job === 'parse') {
  const data = plugins.input.chain(text, { generateGraph: false, forceType: '@biblatex/text' });
  count = data.length;
  out = JSON.stringify(data, null, 2);
} else if (job === 'tobib') {
  const cite = new Cite(JSON.parse(text), { generateGraph: false });
  count = cite.data.length;
  out = cite.format('bibtex');
} else if (job === 'format') {
  const cite = new Cite(JSON.parse(text), { generateGraph: false });
  count = cite.data.length;
  out = cite.format('bibliography', { template, format: 'text', lang: 'en-US' });
} else {
  throw new Error('unknown job ' + job);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
if (outPath) fs.writeFileSync(outPath, out);
process.stdout.write(JSON.stringify({ seconds, count, bytes: out.length }) + '\n');

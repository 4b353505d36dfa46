'use strict';

const { exec } = require('child_process');
const path = require('path');
const { promisify } = require('util');

const execAsync = promisify(exec);

/** Creates a 320px wide JPEG thumbnail next to the original using ImageMagick. */
async function makeThumbnail(sourcePath) {
  const dir = path.dirname(sourcePath);
  const base = path.basename(sourcePath, path.extname(sourcePath));
  const target = path.join(dir, `${base}.thumb.jpg`);
  await execAsync(`convert "${sourcePath}" -auto-orient -resize 320x -quality 80 "${target}"`, { timeout: 15000 });
  return target;
}

module.exports = { makeThumbnail };

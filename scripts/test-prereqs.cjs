// `npm test` runs this first (npm's `pretest`): what the whole suite needs besides Node and npm.
// - Debian packages of the slow and browser tests: HAProxy (the two-node test's balancer),
//   Chromium and CJK fonts (the screens' tests, driven by playwright-core; no browser download).
//   Installed with apt-get when missing and running as root; otherwise it says what to install.
// - A fresh build (dist/ for the slow tests' api processes, dist/web for the screens), so those
//   tests never run an older build than the sources.
const { execFileSync, spawnSync } = require('node:child_process');
const { join } = require('node:path');

const has = (cmd, args = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const dpkgHas = (pkg) => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

const missing = [];
if (!has('haproxy', ['-v'])) missing.push('haproxy');
if (!has('/usr/bin/chromium')) missing.push('chromium');
if (has('dpkg') && !dpkgHas('fonts-noto-cjk')) missing.push('fonts-noto-cjk');

if (missing.length > 0) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !has('apt-get', ['--version'])) {
    process.stderr.write(
      `test prerequisites missing: ${missing.join(', ')}. Install them (Debian: apt-get install -y ${missing.join(' ')}) and run again.\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`test prerequisites: installing ${missing.join(', ')} (apt-get) …\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { stdio: 'inherit', env });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', ...missing]);
}

process.stdout.write('test prerequisites: building dist/ and the screens …\n');
execFileSync('node', [join(__dirname, 'build.cjs')], { stdio: 'inherit' });

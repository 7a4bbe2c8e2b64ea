// Headless Chromium (Debian's, or $CHROMIUM) through playwright-core, which needs Node 20 or later:
// on an older Node the browser tests are skipped, saying why, and the others still run.
export const NO_BROWSER = Number(process.versions.node.split('.')[0]) < 20
  && `playwright-core needs Node 20 or later (this is ${process.version})`;

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

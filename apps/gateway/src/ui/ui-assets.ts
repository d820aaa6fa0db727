import { dirname, extname, join, normalize, sep } from 'node:path';
import { rolloutViewStatuses } from '@fleetwave/contracts';

/** The dashboard's own files: plain HTML, CSS and ES modules, served as they are (no build step). */
export const UI_PUBLIC_DIR = join(__dirname, 'public');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Third-party files the dashboard loads, served from the installed npm package. */
const vendorFiles: Record<string, string> = {
  'uplot.js': 'uplot/dist/uPlot.iife.min.js',
  'uplot.css': 'uplot/dist/uPlot.min.css',
};

export interface UiAsset {
  file: string;
  contentType: string;
}

/**
 * The file behind `/ui/assets/<relative>`; undefined for anything outside the public folder or of
 * a kind the dashboard does not ship (so no path can reach other files of the service).
 */
export function publicAsset(relative: string, root = UI_PUBLIC_DIR): UiAsset | undefined {
  const contentType = contentTypes[extname(relative).toLowerCase()];
  if (!contentType || relative.includes('\0')) return undefined;
  const file = normalize(join(root, relative));
  return file.startsWith(root + sep) ? { file, contentType } : undefined;
}

/** The file behind `/ui/vendor/<name>`; undefined for names not listed. */
export function vendorAsset(name: string): UiAsset | undefined {
  const target = Object.hasOwn(vendorFiles, name) ? vendorFiles[name] : undefined;
  if (!target) return undefined;
  const [pkg] = target.split('/');
  const packageDir = dirname(require.resolve(`${pkg}/package.json`));
  return { file: join(packageDir, target.slice(pkg.length + 1)), contentType: contentTypes[extname(name)] };
}

/**
 * What the page may load and run: only its own origin (scripts, styles, API calls), no frames;
 * inline style attributes are allowed for the widths of progress bars.
 */
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * `/ui/assets/js/rollout-statuses.js`, the one module made when served: the API's rollout
 * statuses from the contracts, so the dashboard's filter offers exactly those.
 */
export const ROLLOUT_STATUSES_MODULE = `export const rolloutStatuses = ${JSON.stringify(rolloutViewStatuses)};\n`;

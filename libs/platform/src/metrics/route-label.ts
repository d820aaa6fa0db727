/** Route label of requests outside the known API prefixes (scanners, typos): one series for all. */
export const otherRoute = 'other';

const maxApiSegments = 9;
const idPattern = /^\d+$/;

/**
 * The route template of a request path, as the label of the HTTP histogram, so that every id
 * shares one series: under `/rest/v1` hawkBit's paths alternate collection and id
 * (`/rest/v1/rollouts/:id/deploygroups/:id`), and a numeric segment is an id wherever it is;
 * `/health`, `/metrics`, `/ui` and `/internal` keep their fixed segments. Anything else is
 * {@link otherRoute}, so unknown paths cannot grow the number of series.
 */
export function routeLabel(path: string): string {
  const segments = path
    .split('?')[0]
    .split('/')
    .filter((s) => s.length > 0);
  const [root] = segments;
  if (root === 'rest' && segments[1] === 'v1') {
    const tail = segments.slice(2, maxApiSegments);
    // The system area is keyed by names (`/system/configs/:key`), its collection is one level deeper.
    const idAt = tail[0] === 'system' ? 0 : 1;
    const templated = tail.map((segment, i) =>
      idPattern.test(segment) || (i % 2 === idAt && i > 0) ? ':id' : segment.toLowerCase(),
    );
    const cut = segments.length > maxApiSegments ? '/…' : '';
    return `/rest/v1${templated.map((s) => `/${s}`).join('')}${cut}`;
  }
  if (root === 'health' || root === 'metrics') return `/${segments.slice(0, 2).join('/')}`;
  if (root === 'ui') return segments[1] === 'api' ? `/ui/api/${segments[2] ?? ''}` : '/ui/*';
  if (root === 'internal')
    return `/internal/${segments
      .slice(1)
      .map((s) => (idPattern.test(s) ? ':id' : s))
      .slice(0, 3)
      .join('/')}`;
  return otherRoute;
}

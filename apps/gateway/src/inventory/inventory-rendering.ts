import { page } from '@fleetwave/platform';

type Json = Record<string, unknown>;

/** hawkBit's audit fields of an entity, from the internal `Audit` message. */
export const renderAudit = (audit: unknown) => {
  const a = (audit ?? {}) as Json;
  return {
    createdBy: String(a.createdBy ?? ''),
    createdAt: Number(a.createdAt ?? 0),
    lastModifiedBy: String(a.lastModifiedBy ?? ''),
    lastModifiedAt: Number(a.lastModifiedAt ?? 0),
  };
};

/** `_links.self` of an entity under `/rest/v1/<collection>/<id>`. */
export const selfLink = (collection: string, id: string | number) => ({
  self: { href: `/rest/v1/${collection}/${encodeURIComponent(String(id))}` },
});

/** hawkBit's page (`content`, `size`, `total`) of an internal page message, each item rendered. */
export function renderPage(answer: Json, render: (item: Json) => unknown) {
  return page(((answer.content ?? []) as Json[]).map(render), Number(answer.total ?? 0));
}

/** The items of an internal list message (`items`), each rendered. */
export const renderItems = (answer: Json, render: (item: Json) => unknown) =>
  ((answer.items ?? []) as Json[]).map(render);

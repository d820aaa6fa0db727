import { contentDisposition } from './artifact-download';
import { renderArtifact } from './artifact-rendering';

describe('artifact rendering', () => {
  it("renders hawkBit's MgmtArtifact from the internal view, with links to itself and its bytes", () => {
    const view = {
      id: 9,
      moduleId: 4,
      providedFilename: 'fw.bin',
      size: 1024,
      hashes: { sha1: 'a', md5: 'b', sha256: 'c' },
      audit: { createdBy: 'ann', createdAt: 1, lastModifiedBy: 'bob', lastModifiedAt: 2 },
    };
    expect(renderArtifact(view)).toEqual({
      id: 9,
      hashes: { sha1: 'a', md5: 'b', sha256: 'c' },
      providedFilename: 'fw.bin',
      size: 1024,
      createdBy: 'ann',
      createdAt: 1,
      lastModifiedBy: 'bob',
      lastModifiedAt: 2,
      _links: {
        self: { href: '/rest/v1/softwaremodules/4/artifacts/9' },
        download: { href: '/rest/v1/softwaremodules/4/artifacts/9/download' },
      },
    });
  });

  it('names the download ASCII-safe and exact', () => {
    expect(contentDisposition('fw.bin')).toBe(`attachment; filename="fw.bin"; filename*=UTF-8''fw.bin`);
    expect(contentDisposition('ä "q"\\.bin')).toBe(
      `attachment; filename="_ _q__.bin"; filename*=UTF-8''%C3%A4%20%22q%22%5C.bin`,
    );
  });
});

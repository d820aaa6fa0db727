import { ACTIVATION_CHUNK, activationChunkSize, FIRST_ACTIVATION_CHUNK } from './group-activation';

describe('activationChunkSize', () => {
  it('starts a group small and doubles chunk by chunk up to the full size', () => {
    const sizes = Array.from({ length: 8 }, (_, chunks) => activationChunkSize(chunks));
    expect(sizes).toEqual([100, 200, 400, 800, 1600, 2000, 2000, 2000]);
    expect(sizes[0]).toBe(FIRST_ACTIVATION_CHUNK);
    expect(Math.max(...sizes)).toBe(ACTIVATION_CHUNK);
  });

  it('never exceeds a smaller configured size, and stays bounded after very many chunks', () => {
    expect([0, 1, 5].map((chunks) => activationChunkSize(chunks, 3))).toEqual([3, 3, 3]);
    expect(activationChunkSize(10_000)).toBe(ACTIVATION_CHUNK);
    expect(activationChunkSize(0, 250)).toBe(100);
    expect(activationChunkSize(2, 250)).toBe(250);
  });
});

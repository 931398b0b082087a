import { describe, expect, it } from 'vitest';
import { parseEmbedding } from './face_query';

describe('a pasted embedding', () => {
  it('reads a JSON array of numbers', () => {
    expect(parseEmbedding('[0.5, -0.25, 1e-3]')).toEqual([0.5, -0.25, 0.001]);
  });

  it('reads the numbers without their brackets', () => {
    expect(parseEmbedding(' 0.1,0.2 ,0.3\n')).toEqual([0.1, 0.2, 0.3]);
  });

  it('refuses text, empty lists and anything not a number', () => {
    expect(parseEmbedding('')).toBeNull();
    expect(parseEmbedding('[]')).toBeNull();
    expect(parseEmbedding('[0.1, "x"]')).toBeNull();
    expect(parseEmbedding('{"a": 1}')).toBeNull();
    expect(parseEmbedding('0.1, oops')).toBeNull();
  });
});

import { ErrorCode, RtcError } from '../../js/src/errors';
import { resolveAssetsBase, setAssetsPath, simdSupported } from '../../js/src/core/wasm-loader';

describe('WASM loader', () => {
  test('finds the assets in wasm/ beside the SDK bundle by default', () => {
    expect(resolveAssetsBase()).toBe('https://cdn.example.test/sdk/dist/wasm/');
  });

  test('setAssetsPath overrides it and adds the trailing slash', () => {
    setAssetsPath('https://static.example.test/trtc/wasm');
    expect(resolveAssetsBase()).toBe('https://static.example.test/trtc/wasm/');
  });

  test('setAssetsPath rejects an empty or non-string path with INVALID_PARAMETER', () => {
    for (const bad of ['', undefined, 42]) {
      let caught: unknown;
      try {
        setAssetsPath(bad as unknown as string);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RtcError);
      expect((caught as RtcError).getCode()).toBe(ErrorCode.INVALID_PARAMETER);
    }
  });

  test('detects WebAssembly SIMD in this engine (Node 20 has it)', () => {
    expect(simdSupported()).toBe(true);
  });
});

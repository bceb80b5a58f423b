// ESLint (flat config): typescript-eslint's type-aware recommended rules on the SDK, the room
// server and the tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'types/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Results of page.evaluate and raw JSON replies are untyped by nature in the tests.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        document: 'readonly',
        window: 'readonly',
        performance: 'readonly',
        navigator: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        WebSocket: 'readonly',
        RTCPeerConnection: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        MediaStream: 'readonly',
        URLSearchParams: 'readonly',
        localStorage: 'readonly',
        location: 'readonly',
        history: 'readonly',
        requestAnimationFrame: 'readonly',
        TRTC: 'readonly',
        TRTCAudioMixer: 'readonly',
        TRTCBeauty: 'readonly',
        MediaStreamTrackProcessor: 'readonly',
        Node: 'readonly',
      },
    },
  },
);

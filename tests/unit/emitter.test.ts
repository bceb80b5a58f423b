import { Emitter } from '../../js/src/core/emitter';
import { ErrorCode } from '../../js/src/errors';
import { toRtcError } from '../../js/src/signal/signal-channel';

interface Events {
  'peer-join': { userId: string };
  tick: number;
}

describe('Emitter', () => {
  test('on / once / off / off("*"), with context', () => {
    const e = new Emitter<Events>();
    const seen: string[] = [];
    const ctx = { name: 'ctx' };
    function withCtx(this: typeof ctx, p: { userId: string }): void {
      seen.push(`${this.name}:${p.userId}`);
    }
    const plain = (p: { userId: string }): void => void seen.push(p.userId);
    e.on('peer-join', withCtx, ctx);
    e.on('peer-join', plain);
    e.once('tick', (n) => seen.push(`tick${n}`));
    e.emit('peer-join', { userId: 'a' });
    e.emit('tick', 1);
    e.emit('tick', 2);
    e.off('peer-join', plain);
    e.emit('peer-join', { userId: 'b' });
    e.off('*');
    e.emit('peer-join', { userId: 'c' });
    expect(seen).toEqual(['ctx:a', 'a', 'tick1', 'ctx:b']);
    expect(e.listenerCount('peer-join')).toBe(0);
  });

  test('a throwing handler does not stop the others', () => {
    const errors: unknown[] = [];
    const e = new Emitter<Events>((err) => errors.push(err));
    const seen: number[] = [];
    e.on('tick', () => {
      throw new Error('app bug');
    });
    e.on('tick', (n) => seen.push(n));
    e.emit('tick', 7);
    expect(seen).toEqual([7]);
    expect(errors).toHaveLength(1);
  });
});

describe('room server error mapping', () => {
  test.each([
    ['join', -10012, ErrorCode.JOIN_ROOM_FAILED],
    ['join', 70001, ErrorCode.JOIN_ROOM_FAILED],
    ['resume', 4097, ErrorCode.JOIN_ROOM_FAILED],
    ['publish', 4096, ErrorCode.INVALID_PARAMETER],
    ['publish', -10031, ErrorCode.INVALID_OPERATION],
    ['subscribe', 16400, ErrorCode.REMOTE_STREAM_NOT_EXIST],
    ['switchRole', -10030, ErrorCode.SWITCH_ROLE_FAILED],
    ['switchRole', 16458, ErrorCode.SWITCH_ROLE_FAILED],
    ['subscribe', 16449, ErrorCode.SERVER_TIMEOUT],
  ])('%s with server code %p → %p, extraCode kept', (method, code, expected) => {
    const e = toRtcError(method, { code, message: 'why' });
    expect(e.getCode()).toBe(expected);
    expect(e.getExtraCode()).toBe(code);
    expect(e.message).toBe(`${method}: why`);
  });
});

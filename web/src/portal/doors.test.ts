import { describe, expect, it } from 'vitest';
import { forgetDoor, refusalReason, rememberDoor } from './doors';

describe('remembered doors', () => {
  it('puts the newest door first without repeating it', () => {
    expect(rememberDoor(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    expect(rememberDoor([], 'x')).toEqual(['x']);
  });
  it('keeps at most eight', () => {
    const many = ['1', '2', '3', '4', '5', '6', '7', '8'];
    expect(rememberDoor(many, '9')).toEqual(['9', '1', '2', '3', '4', '5', '6', '7']);
  });
  it('forgets a door', () => {
    expect(forgetDoor(['a', 'b'], 'a')).toEqual(['b']);
  });
});

describe('refusalReason', () => {
  it('reads the reason code from the server message', () => {
    expect(refusalReason('您无权开启此门 (none of your access groups includes this door; reason no_access_group, event anju-1)')).toBe(
      'no_access_group',
    );
  });
  it('is null when the message names none', () => {
    expect(refusalReason('设备不存在 (no such device)')).toBeNull();
  });
});

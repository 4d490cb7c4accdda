import { fieldText, hasFieldText } from './field-messages';

describe('field messages in zh-CN', () => {
  it.each([
    [
      'name must be longer than or equal to 1 and shorter than or equal to 200 characters',
      'name 长度须为 1–200 个字符',
    ],
    ['property  should not exist', '不允许的字段 （空字段名）'],
    ['property __proto__ should not exist', '不允许的字段 __proto__'],
    ['each value in nested property agenda must be either object or array', 'agenda 的每一项须为对象或数组'],
    ['an unknown value was passed to the validate function', '须为对象'],
    [
      'each value in choices must be longer than or equal to 1 and shorter than or equal to 100 characters',
      'choices 的每一项长度须为 1–100 个字符',
    ],
  ])('%s → %s', (en, zh) => {
    expect(hasFieldText(en)).toBe(true);
    expect(fieldText(en, 'zh-CN')).toBe(zh);
    expect(fieldText(en, 'en')).toBe(en);
  });
});
